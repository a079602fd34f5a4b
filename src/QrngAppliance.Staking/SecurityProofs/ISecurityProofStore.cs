namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>Issued proofs by tx id, so a replayed tx id returns the same proof (Storage provides the durable one).</summary>
public interface ISecurityProofStore
{
    ValueTask<SecurityProof?> GetAsync(string txId, CancellationToken cancellationToken = default);

    /// <summary>Stores a proof; false if one exists for its tx id.</summary>
    ValueTask<bool> TryAddAsync(SecurityProof proof, CancellationToken cancellationToken = default);
}
