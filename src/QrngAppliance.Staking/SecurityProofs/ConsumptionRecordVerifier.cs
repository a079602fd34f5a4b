namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>Checks that the ledger's consumption records bind exactly these leaves to this request id (from a file offline).</summary>
public delegate bool ConsumptionRecordVerifier(string requestId, IReadOnlyList<long> leafIndices);
