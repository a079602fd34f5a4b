namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// FIPS 204 §7.1–7.2: bit packing (Algorithms 16–21) and the key, signature and w1 encodings
/// (Algorithms 22–28). Coefficients are packed little-endian, least significant bit first.
/// </summary>
internal static class Packing
{
    /// <summary>SimpleBitPack: values in [0, 2^bits) into values.Length·bits/8 bytes.</summary>
    public static void PackBits(ReadOnlySpan<int> values, int bits, Span<byte> output)
    {
        ulong acc = 0;
        int accBits = 0;
        int o = 0;
        foreach (int v in values)
        {
            acc |= (ulong)(uint)v << accBits;
            accBits += bits;
            while (accBits >= 8)
            {
                output[o++] = (byte)acc;
                acc >>= 8;
                accBits -= 8;
            }
        }
    }

    /// <summary>SimpleBitUnpack: the inverse of <see cref="PackBits"/>; every value is in [0, 2^bits).</summary>
    public static void UnpackBits(ReadOnlySpan<byte> input, int bits, Span<int> values)
    {
        ulong acc = 0;
        int accBits = 0;
        int i = 0;
        uint mask = (1u << bits) - 1;
        for (int v = 0; v < values.Length; v++)
        {
            while (accBits < bits)
            {
                acc |= (ulong)input[i++] << accBits;
                accBits += 8;
            }

            values[v] = (int)((uint)acc & mask);
            acc >>= bits;
            accBits -= bits;
        }
    }

    /// <summary>BitPack(w, a, b) = SimpleBitPack(b − w): packs b − values[i] in bits bits.</summary>
    public static void PackOffset(ReadOnlySpan<int> values, int b, int bits, Span<byte> output)
    {
        Span<int> shifted = stackalloc int[Field.N];
        for (int offset = 0; offset < values.Length; offset += Field.N)
        {
            for (int i = 0; i < Field.N; i++)
            {
                shifted[i] = b - values[offset + i];
            }

            PackBits(shifted, bits, output.Slice(offset / 8 * bits, 32 * bits));
        }
    }

    /// <summary>BitUnpack(v, a, b): values[i] = b − (unpacked value).</summary>
    public static void UnpackOffset(ReadOnlySpan<byte> input, int b, int bits, Span<int> values)
    {
        UnpackBits(input[..(values.Length / 8 * bits)], bits, values);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = b - values[i];
        }
    }

    /// <summary>Alg. 22 pkEncode: ρ ‖ SimpleBitPack(t1[i], 2^10 − 1).</summary>
    public static void EncodePublicKey(Span<byte> pk, ReadOnlySpan<byte> rho, ReadOnlySpan<int> t1)
    {
        rho[..32].CopyTo(pk);
        PackBits(t1, 10, pk[32..]);
    }

    /// <summary>Alg. 23 pkDecode.</summary>
    public static void DecodePublicKey(ReadOnlySpan<byte> pk, Span<byte> rho, Span<int> t1)
    {
        pk[..32].CopyTo(rho);
        UnpackBits(pk[32..], 10, t1);
    }

    /// <summary>Alg. 24 skEncode: ρ ‖ K ‖ tr ‖ BitPack(s1, η, η) ‖ BitPack(s2, η, η) ‖ BitPack(t0, 2^12 − 1, 2^12).</summary>
    public static void EncodeSecretKey(Span<byte> sk, MlDsaParameters p, ReadOnlySpan<byte> rho, ReadOnlySpan<byte> key, ReadOnlySpan<byte> tr, ReadOnlySpan<int> s1, ReadOnlySpan<int> s2, ReadOnlySpan<int> t0)
    {
        rho[..32].CopyTo(sk);
        key[..32].CopyTo(sk[32..]);
        tr[..64].CopyTo(sk[64..]);
        int offset = 128;
        int etaBytes = p.L * 32 * p.EtaBits;
        PackOffset(s1, p.Eta, p.EtaBits, sk.Slice(offset, etaBytes));
        offset += etaBytes;
        etaBytes = p.K * 32 * p.EtaBits;
        PackOffset(s2, p.Eta, p.EtaBits, sk.Slice(offset, etaBytes));
        offset += etaBytes;
        PackOffset(t0, 1 << (Field.D - 1), Field.D, sk.Slice(offset, p.K * 32 * Field.D));
    }

    /// <summary>Alg. 25 skDecode.</summary>
    public static void DecodeSecretKey(ReadOnlySpan<byte> sk, MlDsaParameters p, Span<byte> rho, Span<byte> key, Span<byte> tr, Span<int> s1, Span<int> s2, Span<int> t0)
    {
        sk[..32].CopyTo(rho);
        sk.Slice(32, 32).CopyTo(key);
        sk.Slice(64, 64).CopyTo(tr);
        int offset = 128;
        int etaBytes = p.L * 32 * p.EtaBits;
        UnpackOffset(sk.Slice(offset, etaBytes), p.Eta, p.EtaBits, s1);
        offset += etaBytes;
        etaBytes = p.K * 32 * p.EtaBits;
        UnpackOffset(sk.Slice(offset, etaBytes), p.Eta, p.EtaBits, s2);
        offset += etaBytes;
        UnpackOffset(sk.Slice(offset, p.K * 32 * Field.D), 1 << (Field.D - 1), Field.D, t0);
    }

    /// <summary>Alg. 28 w1Encode: SimpleBitPack(w1[i], (q − 1)/(2γ2) − 1).</summary>
    public static void EncodeW1(Span<byte> output, ReadOnlySpan<int> w1, int w1Bits) => PackBits(w1, w1Bits, output);

    /// <summary>
    /// Alg. 26 sigEncode: c̃ ‖ BitPack(z, γ1 − 1, γ1) ‖ HintBitPack(h). z must be centred (|z| &lt; γ1)
    /// and h must have at most ω ones (the signer rejects otherwise).
    /// </summary>
    public static void EncodeSignature(Span<byte> sig, MlDsaParameters p, ReadOnlySpan<byte> cTilde, ReadOnlySpan<int> z, ReadOnlySpan<int> h)
    {
        cTilde.CopyTo(sig);
        int zBytes = p.L * 32 * (p.Gamma1Bits + 1);
        PackOffset(z, 1 << p.Gamma1Bits, p.Gamma1Bits + 1, sig.Slice(p.CTildeBytes, zBytes));

        // Alg. 20 HintBitPack: the positions of the ones, then the running count per polynomial.
        Span<byte> y = sig.Slice(p.CTildeBytes + zBytes, p.Omega + p.K);
        y.Clear();
        int index = 0;
        for (int i = 0; i < p.K; i++)
        {
            for (int j = 0; j < Field.N; j++)
            {
                if (h[(i * Field.N) + j] != 0)
                {
                    y[index++] = (byte)j;
                }
            }

            y[p.Omega + i] = (byte)index;
        }
    }

    /// <summary>
    /// Alg. 27 sigDecode with Alg. 21 HintBitUnpack; false (⊥) when the hint encoding is malformed:
    /// counts that decrease or exceed ω, positions not strictly increasing, or non-zero padding.
    /// </summary>
    public static bool DecodeSignature(ReadOnlySpan<byte> sig, MlDsaParameters p, Span<byte> cTilde, Span<int> z, Span<int> h)
    {
        sig[..p.CTildeBytes].CopyTo(cTilde);
        int zBytes = p.L * 32 * (p.Gamma1Bits + 1);
        UnpackOffset(sig.Slice(p.CTildeBytes, zBytes), 1 << p.Gamma1Bits, p.Gamma1Bits + 1, z);

        ReadOnlySpan<byte> y = sig.Slice(p.CTildeBytes + zBytes, p.Omega + p.K);
        h[..(p.K * Field.N)].Clear();
        int index = 0;
        for (int i = 0; i < p.K; i++)
        {
            int end = y[p.Omega + i];
            if (end < index || end > p.Omega)
            {
                return false;
            }

            int first = index;
            while (index < end)
            {
                if (index > first && y[index - 1] >= y[index])
                {
                    return false;
                }

                h[(i * Field.N) + y[index]] = 1;
                index++;
            }
        }

        for (int i = index; i < p.Omega; i++)
        {
            if (y[i] != 0)
            {
                return false;
            }
        }

        return true;
    }
}
