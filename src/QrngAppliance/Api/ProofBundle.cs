using QrngAppliance.Pipeline;
using QrngAppliance.Proofs.Leaves;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Api;

/// <summary>
/// The proof bundle of <c>POST /v1/entropy/attested</c> and <c>GET /v1/proofs/{request_id}</c>
/// (docs/proof-format.md, "Proof bundle"). <see cref="Entropy"/> is hex; <see cref="PulseEncoded"/> is the
/// pulse's stored form in base64, which <c>qrng verify --proof</c> checks the signatures on; <see cref="Keys"/>
/// are the signing keys as <c>GET /v1/keys</c> lists them (a verifier should pin its own, via --chain-info).
/// </summary>
public sealed record ProofBundle(
    int Version,
    string RequestId,
    int Bytes,
    string Entropy,
    IReadOnlyList<ProofLeafView> Leaves,
    PulseView Pulse,
    string PulseEncoded,
    IReadOnlyList<KeyView> Keys,
    ConsumptionView Consumption)
{
    public const int CurrentVersion = 1;

    /// <param name="keys">The appliance's signing keys, for a verifier without pinned chain info.</param>
    public static ProofBundle From(AttestedProof proof, IReadOnlyList<KeyView> keys) => new(
        CurrentVersion,
        proof.Record.RequestId,
        proof.Record.Bytes,
        Convert.ToHexStringLower(proof.Entropy),
        [.. proof.Leaves.Select(ProofLeafView.From)],
        PulseView.From(proof.Pulse),
        Convert.ToBase64String(PulseCodec.Encode(proof.Pulse)),
        keys,
        new ConsumptionView(proof.Record.RequestId, proof.Record.Bytes, proof.Record.LeafIndexes, proof.Record.ConsumedAt, proof.Pulse.Seq));
}

/// <summary>A leaf: <see cref="Data"/> is the encoded leaf (base64); <see cref="AuditPath"/> the inclusion proof (hex).</summary>
public sealed record ProofLeafView(long Index, string Data, string Source, ulong Window, IReadOnlyList<string> AuditPath)
{
    public static ProofLeafView From(ProvenLeaf leaf)
    {
        var decoded = EntropyLeaf.Decode(leaf.Data);
        return new(leaf.Index, Convert.ToBase64String(leaf.Data), decoded.SourceId, decoded.WindowId, [.. leaf.AuditPath.Select(Convert.ToHexStringLower)]);
    }
}

/// <summary>The consumption record as the ledger holds it: who spent which leaves, when, proved against which pulse.</summary>
public sealed record ConsumptionView(string RequestId, int Bytes, IReadOnlyList<long> LeafIndexes, DateTimeOffset ConsumedAt, ulong PulseSeq);
