namespace QrngAppliance.Mining.Stratum;

/// <summary>How <see cref="PoolMiner"/> logs in and walks the work space.</summary>
public sealed record PoolMinerOptions(string User, string Password)
{
    public string UserAgent { get; init; } = "qrng/1.0";

    /// <summary>First nonce of each extranonce2's search (the whole 32-bit space by default).</summary>
    public long NonceStart { get; init; }

    /// <summary>Nonces per extranonce2 before rolling over to the next extranonce2.</summary>
    public long NonceCount { get; init; } = 1L << 32;

    /// <summary>The first extranonce2 value of each job (big-endian counter).</summary>
    public ulong FirstExtranonce2 { get; init; }

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan SubmitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long shares in flight may wait for the pool's answer once mining is stopped.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(2);
}
