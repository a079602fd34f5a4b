namespace QrngAppliance.Staking.Pricing;

/// <summary>The entropy price signal at one moment (<c>GET /v1/security/state</c>, metric <c>qrng_entropy_price_ratio</c>).</summary>
/// <param name="Index">Price relative to an idle, full pool (1.0); see <see cref="EntropyPriceSignal"/>.</param>
public sealed record EntropyPrice(decimal Index, long AvailableBits, long RecentDemandBits, TimeSpan DemandWindow);
