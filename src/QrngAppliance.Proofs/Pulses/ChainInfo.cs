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
    public const int CurrentVersion = 1;

    /// <summary>Same content (records compare the key list by reference).</summary>
    public bool SameAs(ChainInfo other) => ChainInfoCodec.Encode(this).AsSpan().SequenceEqual(ChainInfoCodec.Encode(other));
}
