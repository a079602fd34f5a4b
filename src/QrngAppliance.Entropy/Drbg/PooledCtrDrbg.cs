using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Prng.Drbg;

namespace QrngAppliance.Entropy.Drbg;

/// <summary>
/// SP 800-90A CTR_DRBG (AES-256, derivation function) whose entropy input is conditioned pool blocks.
/// A reseed is due once the seed is <see cref="ReseedInterval"/> old or <see cref="ReseedBytes"/> were drawn from it
/// (both zero by default: before every request); when one is due it takes a fresh block if one is available. Without
/// one it keeps serving only while its last reseed is younger than <see cref="MaxSeedAge"/> and at most
/// <see cref="MaxBytesPerSeed"/> bytes were drawn, and otherwise refuses rather than stretch old entropy.
/// </summary>
public sealed class PooledCtrDrbg
{
    /// <summary>SP 800-90A Table 3: at most 2^19 bits per CTR_DRBG request.</summary>
    public const int MaxRequestBytes = 1 << 16;

    // BouncyCastle's CtrSP800Drbg caps one generate call at 2^18 bits (32 KiB) for AES, half of what
    // Table 3 allows, and throws above it; larger requests are served as consecutive generate calls.
    private const int MaxBytesPerGenerateCall = 1 << 15;

    private readonly Func<ReseedNeed, byte[]?> _takeBlock;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly BlockEntropySource _entropy = new();
    private CtrSP800Drbg? _drbg;
    private DateTimeOffset _seededAt;
    private long _bytesSinceSeed;

    /// <param name="takeBlock">Returns one fresh 32-byte conditioned block, or null when none is available.</param>
    public PooledCtrDrbg(Func<byte[]?> takeBlock, TimeProvider time)
        : this(_ => takeBlock(), time)
    {
    }

    /// <param name="takeBlock">Returns one fresh 32-byte conditioned block, or null when none is available; told why it is asked.</param>
    public PooledCtrDrbg(Func<ReseedNeed, byte[]?> takeBlock, TimeProvider time)
    {
        _takeBlock = takeBlock;
        _time = time;
    }

    public TimeSpan MaxSeedAge { get; init; } = TimeSpan.FromSeconds(60);

    public long MaxBytesPerSeed { get; init; } = 1 << 20;

    /// <summary>Seed age from which a reseed is due (the soft bound; <see cref="MaxSeedAge"/> is the hard one).</summary>
    public TimeSpan ReseedInterval { get; init; } = TimeSpan.Zero;

    /// <summary>Bytes drawn from one seed after which a reseed is due (the soft bound; <see cref="MaxBytesPerSeed"/> is the hard one).</summary>
    public long ReseedBytes { get; init; }

    public long Reseeds { get; private set; }

    /// <summary>Fills <paramref name="output"/> (at most <see cref="MaxRequestBytes"/>).</summary>
    public void Generate(Span<byte> output)
    {
        if (!TryGenerate(output))
        {
            throw new EntropyUnavailableException("no healthy entropy available to seed the DRBG; retry later");
        }
    }

    /// <summary>
    /// Fills <paramref name="output"/> (at most <see cref="MaxRequestBytes"/>), or returns false, having written
    /// nothing, when the DRBG cannot serve without a fresh block and none was available.
    /// </summary>
    public bool TryGenerate(Span<byte> output)
    {
        if (output.Length > MaxRequestBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(output), output.Length, $"at most {MaxRequestBytes} bytes per request");
        }

        lock (_lock)
        {
            var age = _time.GetUtcNow() - _seededAt;
            ReseedNeed? need = _drbg is null ? ReseedNeed.Instantiate
                : age > MaxSeedAge || _bytesSinceSeed + output.Length > MaxBytesPerSeed ? ReseedNeed.Required
                : age >= ReseedInterval || _bytesSinceSeed + output.Length > ReseedBytes ? ReseedNeed.Due
                : null;
            if (need is { } why && _takeBlock(why) is { } fresh)
            {
                Seed(fresh);
            }
            else if (need is ReseedNeed.Instantiate or ReseedNeed.Required)
            {
                return false;
            }

            for (var rest = output; !rest.IsEmpty;)
            {
                var buffer = new byte[Math.Min(rest.Length, MaxBytesPerGenerateCall)];
                if (_drbg!.Generate(buffer, 0, buffer.Length, null, false) < 0)
                {
                    throw new InvalidOperationException("CTR_DRBG asked for a reseed before its interval");
                }

                buffer.CopyTo(rest);
                Array.Clear(buffer);
                rest = rest[buffer.Length..];
            }

            _bytesSinceSeed += output.Length;
        }

        return true;
    }

    private void Seed(byte[] block)
    {
        _entropy.Next = block;
        if (_drbg is null)
        {
            // Instantiate: entropy input from the pool; the nonce only has to be unique (SP 800-90A §8.6.7).
            var nonce = BitConverter.GetBytes(_time.GetUtcNow().UtcTicks);
            _drbg = new CtrSP800Drbg(new AesEngine(), 256, 256, _entropy, "qrng-appliance"u8.ToArray(), nonce);
        }
        else
        {
            _drbg.Reseed(null);
        }

        Reseeds++;
        _seededAt = _time.GetUtcNow();
        _bytesSinceSeed = 0;
    }

    /// <summary>Hands BouncyCastle exactly the block we just took; it is never asked twice for one block.</summary>
    private sealed class BlockEntropySource : IEntropySource
    {
        public byte[]? Next { get; set; }

        public bool IsPredictionResistant => true;

        public int EntropySize => 256;

        public byte[] GetEntropy()
        {
            var block = Next ?? throw new InvalidOperationException("DRBG asked for entropy it was not given");
            Next = null;
            return block;
        }

        // BouncyCastle.Cryptography 2.x asks through this overload on .NET; same one-block contract.
        public int GetEntropy(Span<byte> output)
        {
            var block = GetEntropy();
            block.CopyTo(output);
            return block.Length;
        }
    }
}
