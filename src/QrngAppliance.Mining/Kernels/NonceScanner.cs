namespace QrngAppliance.Mining.Kernels;

/// <summary>A kernel bound to one header: the per-job precomputation is done, only nonces vary.</summary>
public abstract class NonceScanner
{
    /// <summary>The header this scanner was prepared for (its nonce bytes are ignored).</summary>
    public abstract ReadOnlyMemory<byte> Header { get; }

    /// <summary>
    /// Hashes <paramref name="count"/> nonces from <paramref name="start"/> and writes each nonce whose top hash
    /// word (hash bytes 28..31 read little-endian) is at most <paramref name="topWordLimit"/> to
    /// <paramref name="candidates"/>. Returns how many nonces were hashed: all of them unless the buffer filled.
    /// </summary>
    /// <remarks>
    /// <paramref name="count"/> must be a multiple of <see cref="NonceKernel.Lanes"/>, <paramref name="candidates"/>
    /// must hold at least 2 × <see cref="NonceKernel.Lanes"/> entries, and the nonces must not wrap past 2^32 − 1.
    /// Candidates are a superset filter; the caller checks each against the full target.
    /// </remarks>
    public abstract int Scan(uint start, int count, uint topWordLimit, Span<uint> candidates, out int found);
}
