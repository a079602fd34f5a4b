namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>Checks a leaf's RFC 9162 audit path against a root at a tree size (the Proofs Merkle verifier in the service).</summary>
public delegate bool LeafInclusionVerifier(ConsumedLeaf leaf, long treeSize, byte[] root);
