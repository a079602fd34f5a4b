using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Everything a client needs to check its entropy offline: the consumption record, the signed pulse whose tree
/// covers every leaf, each leaf with its inclusion proof, and <see cref="Entropy"/> = the leaves' 32-byte blocks
/// concatenated in record order and truncated to the requested size.
/// </summary>
public sealed record AttestedProof(ConsumptionRecord Record, Pulse Pulse, IReadOnlyList<ProvenLeaf> Leaves, byte[] Entropy);
