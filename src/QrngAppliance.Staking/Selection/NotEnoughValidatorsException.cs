namespace QrngAppliance.Staking.Selection;

/// <summary>A tier needs more validators than are active: the transaction cannot be secured at that tier.</summary>
public sealed class NotEnoughValidatorsException(int required, int available)
    : InvalidOperationException($"security tier needs {required} validators but only {available} are active")
{
    public int Required { get; } = required;

    public int Available { get; } = available;
}
