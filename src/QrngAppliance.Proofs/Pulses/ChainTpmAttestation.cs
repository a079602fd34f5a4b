namespace QrngAppliance.Proofs.Pulses;

/// <summary>
/// The TPM part of a chain info: which attestation key quotes the chain's pulses, over which PCRs, and how often.
/// A verifier checks every quote with <see cref="AkPublicArea"/> and requires one on every scheduled pulse, so
/// a quote cannot be stripped, re-signed with another key, or narrowed to fewer PCRs.
/// </summary>
/// <param name="AkPublicArea">The AK's marshalled TPMT_PUBLIC (TPM 2.0 Part 2, §12.2.4), as <c>TPM2_ReadPublic</c> returns it.</param>
/// <param name="PcrBank">TPM_ALG_ID of the PCR bank quoted (0x000B = SHA-256).</param>
/// <param name="Pcrs">The PCR indices quoted, ascending.</param>
/// <param name="QuoteEvery">Pulse (seq − genesis_seq) mod this = 0 carries a quote; at least 1.</param>
public sealed record ChainTpmAttestation(byte[] AkPublicArea, ushort PcrBank, IReadOnlyList<int> Pcrs, uint QuoteEvery)
{
    /// <summary>Whether the pulse at <paramref name="seq"/> of a chain starting at <paramref name="genesisSeq"/> must carry a quote.</summary>
    public bool IsQuoted(ulong seq, ulong genesisSeq) => seq >= genesisSeq && (seq - genesisSeq) % QuoteEvery == 0;

    /// <summary>Same content (records compare arrays by reference).</summary>
    public bool SameAs(ChainTpmAttestation? other) =>
        other is not null && AkPublicArea.AsSpan().SequenceEqual(other.AkPublicArea) && PcrBank == other.PcrBank
        && Pcrs.SequenceEqual(other.Pcrs) && QuoteEvery == other.QuoteEvery;
}
