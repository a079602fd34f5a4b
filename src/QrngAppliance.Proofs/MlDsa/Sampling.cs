using System.Buffers.Binary;
using System.Runtime.Intrinsics;

namespace QrngAppliance.Proofs.MlDsa;

/// <summary>FIPS 204 §7.3: pseudorandom sampling (Algorithms 29–34).</summary>
internal static partial class Sampling
{
    /// <summary>
    /// Alg. 29 SampleInBall: c with τ coefficients ±1, the rest 0.
    /// Challenges of rejected signing attempts are never published, and leaking them is known to help
    /// key recovery, so this runs without a data-dependent branch or address: every byte of the first
    /// squeezed block is processed, a rejected byte (j &gt; i) as a masked no-op, and each update passes
    /// over all 256 coefficients. Only the rare case that one block does not suffice
    /// (more than 128 − τ rejections) costs visibly more time.
    /// </summary>
    public static void SampleInBall(Span<int> c, ReadOnlySpan<byte> cTilde, int tau)
        => SampleInBall(c, cTilde, tau, Vector256.IsHardwareAccelerated);

    /// <summary>
    /// SampleInBall with the masked updates done 8 lanes at a time or one by one. The stream is read
    /// in chunks of <paramref name="chunk"/> bytes (≥ 9); the output does not depend on it, so tests
    /// use small chunks to exercise the continuation path.
    /// </summary>
    internal static void SampleInBall(Span<int> c, ReadOnlySpan<byte> cTilde, int tau, bool vector, int chunk = Shake.Rate256)
    {
        var shake = Shake.Shake256();
        shake.Absorb(cTilde);
        var block = new byte[chunk];
        shake.Squeeze(block, 0, block.Length);
        ulong signs = BinaryPrimitives.ReadUInt64LittleEndian(block);
        int start = 8;

        c[..Field.N].Clear();
        int i = Field.N - tau;
        while (true)
        {
            for (int pos = start; pos < block.Length; pos++)
            {
                int j = block[pos];

                // accept = −1 when i < 256 and j ≤ i (Alg. 29 lines 6–9), else 0.
                int accept = ~((i - j) >> 31) & ((i - Field.N) >> 31);
                int sign = 1 - (2 * (int)(signs & 1));
                if (vector)
                {
                    MoveVector256(c, i, j, sign, accept);
                }
                else
                {
                    MoveScalar(c, i, j, sign, accept);
                }

                signs >>= accept & 1;
                i += accept & 1;
            }

            if (i == Field.N)
            {
                return;
            }

            shake.Squeeze(block, 0, block.Length);
            start = 0;
        }
    }

    /// <summary>
    /// When accept is −1: c_i ← c_j, then c_j ← sign. Touches every coefficient, so neither i nor j
    /// selects an address; with accept = 0 nothing changes.
    /// </summary>
    private static void MoveScalar(Span<int> c, int i, int j, int sign, int accept)
    {
        int cj = 0;
        for (int p = 0; p < Field.N; p++)
        {
            cj |= c[p] & EqualMask(p, j);
        }

        for (int p = 0; p < Field.N; p++)
        {
            int atJ = EqualMask(p, j) & accept;
            int atI = EqualMask(p, i) & accept & ~atJ;
            c[p] = (c[p] & ~(atJ | atI)) | (sign & atJ) | (cj & atI);
        }
    }

    /// <summary>Alg. 32 ExpandA: Â[r][s] = RejNTTPoly(ρ‖s‖r), stored row-major as k·l polynomials.</summary>
    public static void ExpandA(Span<int> a, ReadOnlySpan<byte> rho, int k, int l)
    {
        var shake = Shake.Shake128();
        var block = new byte[Shake.Rate128];
        Span<byte> seed = stackalloc byte[34];
        rho[..32].CopyTo(seed);
        for (int r = 0; r < k; r++)
        {
            for (int s = 0; s < l; s++)
            {
                seed[32] = (byte)s;
                seed[33] = (byte)r;
                shake.Reset();
                shake.Absorb(seed);
                RejNttPoly(a.Slice((r * l + s) * Field.N, Field.N), shake, block);
            }
        }
    }

    /// <summary>Alg. 30 RejNTTPoly: 23-bit little-endian candidates below q, from a seeded SHAKE128.</summary>
    private static void RejNttPoly(Span<int> a, Shake shake, byte[] block)
    {
        int count = 0;
        while (count < Field.N)
        {
            shake.Squeeze(block, 0, block.Length);
            for (int pos = 0; pos + 3 <= block.Length && count < Field.N; pos += 3)
            {
                int t = block[pos] | (block[pos + 1] << 8) | ((block[pos + 2] & 0x7F) << 16);
                if (t < Field.Q)
                {
                    a[count++] = t;
                }
            }
        }
    }

    /// <summary>Alg. 33 ExpandS: s1[r] from ρ′‖r and s2[r] from ρ′‖(r + ℓ), two-byte little-endian counters.</summary>
    public static void ExpandS(Span<int> s1, Span<int> s2, ReadOnlySpan<byte> rhoPrime, int eta, int k, int l)
    {
        var shake = Shake.Shake256();
        var block = new byte[Shake.Rate256];
        Span<byte> seed = stackalloc byte[66];
        rhoPrime[..64].CopyTo(seed);
        for (int r = 0; r < l + k; r++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(seed[64..], (ushort)r);
            shake.Reset();
            shake.Absorb(seed);
            Span<int> target = r < l ? s1.Slice(r * Field.N, Field.N) : s2.Slice((r - l) * Field.N, Field.N);
            RejBoundedPoly(target, shake, block, eta);
        }
    }

    /// <summary>Alg. 31 RejBoundedPoly with Alg. 15 CoeffFromHalfByte (low nibble first).</summary>
    private static void RejBoundedPoly(Span<int> a, Shake shake, byte[] block, int eta)
    {
        int count = 0;
        while (count < Field.N)
        {
            shake.Squeeze(block, 0, block.Length);
            for (int pos = 0; pos < block.Length && count < Field.N; pos++)
            {
                int z0 = block[pos] & 0x0F;
                int z1 = block[pos] >> 4;
                count = TakeHalfByte(a, count, z0, eta);
                if (count < Field.N)
                {
                    count = TakeHalfByte(a, count, z1, eta);
                }
            }
        }
    }

    private static int TakeHalfByte(Span<int> a, int count, int b, int eta)
    {
        if (eta == 2 && b < 15)
        {
            // 2 − (b mod 5), with b mod 5 computed as b − 5·⌊b·205/1024⌋ (exact for b < 15).
            a[count] = 2 - (b - (((205 * b) >> 10) * 5));
            return count + 1;
        }

        if (eta == 4 && b < 9)
        {
            a[count] = 4 - b;
            return count + 1;
        }

        return count;
    }

    /// <summary>
    /// Alg. 34 ExpandMask: y[r] = BitUnpack(H(ρ″‖IntegerToBytes(κ + r, 2), 32·c), γ1 − 1, γ1)
    /// with c = 1 + bitlen(γ1 − 1).
    /// </summary>
    public static void ExpandMask(Span<int> y, ReadOnlySpan<byte> rhoDoublePrime, int kappa, int l, int gamma1Bits, Shake shake, byte[] buffer)
    {
        int bits = gamma1Bits + 1;
        int bytes = 32 * bits;
        Span<byte> seed = stackalloc byte[66];
        rhoDoublePrime[..64].CopyTo(seed);
        for (int r = 0; r < l; r++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(seed[64..], (ushort)(kappa + r));
            shake.Reset();
            shake.Absorb(seed);
            shake.Squeeze(buffer, 0, bytes);
            Span<int> poly = y.Slice(r * Field.N, Field.N);
            Packing.UnpackBits(buffer.AsSpan(0, bytes), bits, poly);
            int gamma1 = 1 << gamma1Bits;
            for (int i = 0; i < Field.N; i++)
            {
                poly[i] = gamma1 - poly[i];
            }
        }
    }

    /// <summary>−1 when p == j, else 0, for 0 ≤ p, j ≤ 256; no branch.</summary>
    private static int EqualMask(int p, int j) => ((p ^ j) - 1) >> 31;
}
