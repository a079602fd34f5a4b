namespace QrngAppliance.Storage.Consumption;

/// <summary>Who spent leaves. Request ids are unique per kind, so a client id can never collide with an internal one.</summary>
public enum ConsumptionKind
{
    /// <summary><c>POST /v1/entropy/attested</c>: leaves handed to a client with a proof.</summary>
    Attested,

    /// <summary>A leaf taken by the CTR_DRBG to reseed (request id <c>drbg-reseed-&lt;leaf index&gt;</c>).</summary>
    DrbgReseed,

    /// <summary>A leaf fed to the kernel with RNDADDENTROPY (request id <c>kernel-sink-&lt;leaf index&gt;</c>).</summary>
    KernelSink,

    /// <summary>
    /// Leaves held as a validator's entropy stake (request id = the validator id): recorded like any spend, so the
    /// unique leaf index keeps them from every other use; they are never handed out, only burned or retired.
    /// </summary>
    EntropyStake,
}
