namespace QrngAppliance.Proofs.Pulses;

/// <summary>
/// The small object that pins a chain's root of trust (after drand's chain info): who signs, how often, and
/// where the chain starts. Every version 2 pulse carries <see cref="ChainInfoCodec.Hash"/> of the chain info
/// in force; a key rotation yields a new chain info with the new keys and the same genesis.
/// </summary>
/// <param name="GenesisSeq">Seq of the chain's first version 2 pulse (a journal that held version 1 pulses continues their seqs).</param>
/// <param name="GenesisTime">Not after the genesis pulse's time (the chain was set up, then pulsed).</param>
public sealed record ChainInfo(
    int Version,
    string ApplianceId,
    IReadOnlyList<PulseKey> Keys,
    long PeriodMilliseconds,
    DateTimeOffset GenesisTime,
    ulong GenesisSeq)
{
    /// <summary>Keys, period and genesis only: what every chain info was before TPM-quoted pulses.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Version 1 plus <see cref="TpmAttestation"/>: the chain's pulses carry TPM quotes.</summary>
    public const int WithTpmAttestation = 2;

    /// <summary>The version a chain info with (or without) a TPM attestation part has.</summary>
    public static int VersionFor(ChainTpmAttestation? tpm) => tpm is null ? CurrentVersion : WithTpmAttestation;

    /// <summary>The attestation key, PCRs and schedule of the chain's TPM quotes; null (version 1) when pulses are not quoted.</summary>
    public ChainTpmAttestation? TpmAttestation { get; init; }

    /// <summary>Same content (records compare the key list by reference).</summary>
    public bool SameAs(ChainInfo other) => ChainInfoCodec.Encode(this).AsSpan().SequenceEqual(ChainInfoCodec.Encode(other));
}
