using Org.BouncyCastle.Crypto.Digests;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// Incremental SHAKE128/SHAKE256 (FIPS 204 §3.7: H = SHAKE256, G = SHAKE128) over BouncyCastle's
/// <see cref="ShakeDigest"/>: .NET's own Shake128/Shake256 squeeze fails on this machine's OpenSSL.
/// BouncyCastle.Cryptography 2.x absorbs and squeezes spans directly (1.8.10 needed a staging buffer).
/// </summary>
internal sealed class Shake
{
    /// <summary>SHAKE128 rate in bytes.</summary>
    public const int Rate128 = 168;

    /// <summary>SHAKE256 rate in bytes.</summary>
    public const int Rate256 = 136;

    private readonly ShakeDigest _digest;

    public Shake(int securityBits)
    {
        _digest = new ShakeDigest(securityBits);
    }

    public static Shake Shake128() => new(128);

    public static Shake Shake256() => new(256);

    public void Reset() => _digest.Reset();

    public void Absorb(ReadOnlySpan<byte> data) => _digest.BlockUpdate(data);

    public void Absorb(byte value) => _digest.Update(value);

    /// <summary>Squeezes the next output bytes; absorbing afterwards is not allowed until Reset.</summary>
    public void Squeeze(byte[] output, int offset, int count) => _digest.Output(output, offset, count);

    /// <summary>Squeezes the next output bytes; absorbing afterwards is not allowed until Reset.</summary>
    public void Squeeze(Span<byte> output) => _digest.Output(output);

    /// <summary>One-shot SHAKE256(input parts…) into output.</summary>
    public static void Hash256(Span<byte> output, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b = default, ReadOnlySpan<byte> c = default)
    {
        var shake = Shake256();
        shake.Absorb(a);
        shake.Absorb(b);
        shake.Absorb(c);
        shake.Squeeze(output);
    }
}
