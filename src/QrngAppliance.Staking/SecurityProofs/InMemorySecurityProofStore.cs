using System.Collections.Concurrent;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>A process-lifetime <see cref="ISecurityProofStore"/> (tests, and the service until Storage supplies a durable one).</summary>
public sealed class InMemorySecurityProofStore : ISecurityProofStore
{
    private readonly ConcurrentDictionary<string, SecurityProof> _proofs = new(StringComparer.Ordinal);

    public ValueTask<SecurityProof?> GetAsync(string txId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_proofs.GetValueOrDefault(txId));

    public ValueTask<bool> TryAddAsync(SecurityProof proof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return ValueTask.FromResult(_proofs.TryAdd(proof.TxId, proof));
    }
}
