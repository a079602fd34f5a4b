namespace QrngAppliance.Mining.Kernels;

/// <summary>One implementation of one proof-of-work hash, able to scan nonces of an 80-byte header.</summary>
public abstract class NonceKernel
{
    public abstract MiningAlgorithm Algorithm { get; }

    public abstract KernelIsa Isa { get; }

    /// <summary>Nonces hashed per step; scan counts are multiples of this.</summary>
    public abstract int Lanes { get; }

    /// <summary>The CLI name of the kernel (<c>scalar</c>, <c>avx2</c>, <c>avx512</c>, <c>shani</c>).</summary>
    public string Name => Isa.ToString().ToLowerInvariant();

    /// <summary>Does the work once per header (midstate, constant words) and returns the nonce scanner.</summary>
    public abstract NonceScanner Prepare(ReadOnlySpan<byte> header80);

    /// <summary>The full reference hash of an 80-byte header, in hash byte order (little-endian number).</summary>
    public abstract void Hash(ReadOnlySpan<byte> header80, Span<byte> hash32);

    public override string ToString() => $"{Algorithm.ToString().ToLowerInvariant()}/{Name}";
}
