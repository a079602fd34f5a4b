namespace QrngAppliance.Mining.Stratum;

/// <summary>How <see cref="PoolMiner"/> logs in, walks the work space and survives pools that go away.</summary>
public sealed record PoolMinerOptions(string User, string Password)
{
    public string UserAgent { get; init; } = "qrng/1.0";

    /// <summary>First nonce of each extranonce2's search (the whole 32-bit space by default).</summary>
    public long NonceStart { get; init; }

    /// <summary>Nonces per extranonce2 before rolling over to the next extranonce2.</summary>
    public long NonceCount { get; init; } = 1L << 32;

    /// <summary>The first extranonce2 value of each job (big-endian counter).</summary>
    public ulong FirstExtranonce2 { get; init; }

    /// <summary>Upper bound of the first reconnect delay (the delay is jittered in [half, whole]).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Upper bound of any reconnect delay: mining resumes at most this long after a pool is back.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How long one TCP connect may take before the pool counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>While mining on a backup pool, how often the pools before it are tried again.</summary>
    public TimeSpan FailbackInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Give up (throw <see cref="PoolUnreachableException"/>) when no session was ever established for
    /// this long; null retries for ever, as the service does.</summary>
    public TimeSpan? GiveUpWithoutSession { get; init; }

    /// <summary>Send <c>mining.extranonce.subscribe</c>, so pools may move the session with <c>mining.set_extranonce</c>.</summary>
    public bool SubscribeExtranonce { get; init; } = true;

    public TimeSpan SubmitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long shares in flight may wait for the pool's answer once mining is stopped.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(2);
}
