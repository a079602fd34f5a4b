using System.Buffers.Binary;
using static QrngAppliance.Mining.Sha256.Sha256Block;

namespace QrngAppliance.Mining.Sha256;

/// <summary>
/// Everything about an 80-byte header that does not depend on the nonce, computed once per job: the midstate
/// (the first 64 bytes compressed), the second block's state after its first four rounds minus the nonce, and
/// the nonce-independent message-schedule words. Every kernel starts from this.
/// </summary>
/// <remarks>
/// Second block words: W0..W2 = header bytes 64..75 (merkle tail, time, bits), W3 = nonce, W4 = 0x80000000
/// (padding), W5..W14 = 0, W15 = 640 (bit length). Rounds 0..2 use only W0..W2, so they are precomputed; round 3
/// adds the nonce to T1, so a and e after round 3 are a constant plus the nonce.
/// </remarks>
internal sealed class Sha256dJob
{
    internal Sha256dJob(ReadOnlySpan<byte> header80)
    {
        if (header80.Length != 80)
        {
            throw new ArgumentException("a block header is exactly 80 bytes", nameof(header80));
        }

        Header = header80.ToArray();
        Span<uint> mid = stackalloc uint[8];
        InitialHash.CopyTo(mid);
        Compress(mid, header80[..64]);
        Mid = mid.ToArray();

        W0 = BinaryPrimitives.ReadUInt32BigEndian(header80[64..]);
        W1 = BinaryPrimitives.ReadUInt32BigEndian(header80[68..]);
        W2 = BinaryPrimitives.ReadUInt32BigEndian(header80[72..]);

        uint a = mid[0], b = mid[1], c = mid[2], d = mid[3], e = mid[4], f = mid[5], g = mid[6], h = mid[7];
        Round(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, K[0] + W0);
        Round(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, K[1] + W1);
        Round(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, K[2] + W2);

        // Round 3 without the nonce: T1 = h + Σ1(e) + Ch(e,f,g) + K3 (+ W3), T2 = Σ0(a) + Maj(a,b,c).
        var t1 = h + BigSigma1(e) + Ch(e, f, g) + K[3];
        var t2 = BigSigma0(a) + Maj(a, b, c);
        A4 = t1 + t2;
        B4 = a;
        C4 = b;
        D4 = c;
        E4 = d + t1;
        F4 = e;
        G4 = f;
        H4 = g;

        W16 = SmallSigma0(W1) + W0;
        W17 = SmallSigma1(640) + SmallSigma0(W2) + W1;
        C18 = SmallSigma1(W16) + W2;
        C19 = SmallSigma1(W17) + SmallSigma0(0x80000000);
        S0W16 = SmallSigma0(W16);
        S0W17 = SmallSigma0(W17);
    }

    internal byte[] Header { get; }

    internal uint[] Mid { get; }

    internal uint W0 { get; }

    internal uint W1 { get; }

    internal uint W2 { get; }

    /// <summary>a after round 3, minus the nonce.</summary>
    internal uint A4 { get; }

    internal uint B4 { get; }

    internal uint C4 { get; }

    internal uint D4 { get; }

    /// <summary>e after round 3, minus the nonce.</summary>
    internal uint E4 { get; }

    internal uint F4 { get; }

    internal uint G4 { get; }

    internal uint H4 { get; }

    internal uint W16 { get; }

    internal uint W17 { get; }

    /// <summary>W18 = σ0(nonce) + C18.</summary>
    internal uint C18 { get; }

    /// <summary>W19 = nonce + C19.</summary>
    internal uint C19 { get; }

    internal uint S0W16 { get; }

    internal uint S0W17 { get; }
}
