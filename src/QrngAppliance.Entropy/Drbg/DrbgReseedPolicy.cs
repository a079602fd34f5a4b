namespace QrngAppliance.Entropy.Drbg;

/// <summary>
/// When a DRBG stripe reseeds from a pool leaf: once its seed is <see cref="Interval"/> old or <see cref="Bytes"/>
/// were drawn from it, whichever comes first. When a reseed is due and no leaf is available the stripe keeps serving
/// up to <see cref="HardFactor"/> times either bound, and refuses past that.
/// </summary>
public sealed record DrbgReseedPolicy(TimeSpan Interval, long Bytes, int HardFactor)
{
    /// <summary>SP 800-90A Table 3 (CTR_DRBG): reseed_interval at most 2^48 generate requests.</summary>
    public const long MaxRequestsPerSeed = 1L << 48;

    public static DrbgReseedPolicy Default { get; } = new(TimeSpan.FromMilliseconds(250), 1 << 20, 4);

    public TimeSpan HardInterval => Interval * HardFactor;

    /// <summary>
    /// Also bounds the generate requests per seed, since each request draws at least one byte: validated to be at
    /// most <see cref="MaxRequestsPerSeed"/>, so the SP 800-90A reseed interval can never be exceeded.
    /// </summary>
    public long HardBytes => Bytes * HardFactor;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bound that is out of range.</summary>
    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || Interval > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "must be more than 0 and at most 1 hour");
        }

        if (HardFactor is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(HardFactor), HardFactor, "must be between 1 and 64");
        }

        if (Bytes < PooledCtrDrbg.MaxRequestBytes || Bytes > MaxRequestsPerSeed / HardFactor)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Bytes), Bytes, $"must be at least one request ({PooledCtrDrbg.MaxRequestBytes}) and, times the hard factor, at most 2^48 (SP 800-90A reseed interval)");
        }
    }
}
