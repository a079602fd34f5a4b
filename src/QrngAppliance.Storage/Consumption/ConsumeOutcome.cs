namespace QrngAppliance.Storage.Consumption;

public enum ConsumeOutcome
{
    /// <summary>The record was written now.</summary>
    Created,

    /// <summary>The request id was already recorded with the same size: nothing written, the stored record returned.</summary>
    Replayed,

    /// <summary>The request id was already recorded with a different size: nothing written.</summary>
    Conflict,
}
