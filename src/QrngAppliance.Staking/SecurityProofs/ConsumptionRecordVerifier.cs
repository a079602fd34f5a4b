namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>
/// Checks that the ledger's consumption record binds exactly these leaves, in this order, to this request id (the
/// live ledger in the service; offline, the attested proof bundle the appliance serves for the request id).
/// </summary>
public delegate bool ConsumptionRecordVerifier(string requestId, IReadOnlyList<long> leafIndices);
