using QrngAppliance.Mining.Search;

namespace QrngAppliance.Mining.Stratum;

/// <summary>A submitted share with its pool verdict and the nonce partition and seed it was found from.</summary>
public sealed record PoolShare(StratumShare Share, FoundNonce Found, SubmitResult Result, double Difficulty);
