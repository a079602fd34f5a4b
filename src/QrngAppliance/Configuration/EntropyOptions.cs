using QrngAppliance.Entropy.Drbg;

namespace QrngAppliance.Configuration;

/// <summary>
/// The <c>Appliance:Entropy</c> section: how anonymous <c>GET /v1/entropy</c> is served (striped CTR_DRBGs and their
/// reseed policy, README "Entropy") and how many leaves are kept for attested clients.
/// </summary>
public sealed class EntropyOptions
{
    /// <summary>A stripe reseeds from one pool leaf once its seed is this old (1 .. 3,600,000 ms). Default 250.</summary>
    public double ReseedIntervalMilliseconds { get; set; } = DrbgReseedPolicy.Default.Interval.TotalMilliseconds;

    /// <summary>... or once this many bytes were drawn from its seed, whichever comes first. Default 1 MiB.</summary>
    public long ReseedBytes { get; set; } = DrbgReseedPolicy.Default.Bytes;

    /// <summary>
    /// With a reseed due and no leaf to take, a stripe keeps serving up to this many times either bound, then answers
    /// 503 (1 .. 64). Default 4: at most 1 s and 4 MiB from one seed.
    /// </summary>
    public int HardBoundFactor { get; set; } = DrbgReseedPolicy.Default.HardFactor;

    /// <summary>Independent DRBG stripes, each with its own lock and seed (0 = one per processor, the default; at most 256).</summary>
    public int DrbgStripes { get; set; }

    /// <summary>
    /// Leaves DRBG reseeds and the kernel sink must leave in the pool for attested requests (0 .. PoolCapacity - 1).
    /// Default (null): a quarter of <c>PoolCapacity</c>, at most 256 (8 KiB of attested entropy).
    /// </summary>
    public int? AttestedReserveLeaves { get; set; }

    public DrbgReseedPolicy BuildReseedPolicy() =>
        new(TimeSpan.FromMilliseconds(ReseedIntervalMilliseconds), ReseedBytes, HardBoundFactor);

    public int ReserveFor(int poolCapacity) => AttestedReserveLeaves ?? Math.Min(256, poolCapacity / 4);
}
