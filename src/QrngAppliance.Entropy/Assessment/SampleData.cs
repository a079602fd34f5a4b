namespace QrngAppliance.Entropy.Assessment;

/// <summary>
/// Samples prepared for SP 800-90B assessment exactly as NIST's tool prepares them: the literal symbols
/// (masked to <see cref="BitsPerSample"/> bits and mapped down to 0..k-1 when fewer than 2^bits values occur)
/// and the bitstring (each raw sample expanded most significant bit first).
/// </summary>
public sealed class SampleData
{
    private SampleData(byte[] raw, byte[] symbols, byte[] bitString, int bitsPerSample, int alphabetSize)
    {
        RawSymbols = raw;
        Symbols = symbols;
        BitString = bitString;
        BitsPerSample = bitsPerSample;
        AlphabetSize = alphabetSize;
    }

    /// <summary>The samples as read, one per byte (the IID mean and restart tests use these).</summary>
    public byte[] RawSymbols { get; }

    /// <summary>Symbols mapped down to 0..<see cref="AlphabetSize"/>-1 when the alphabet is sparse.</summary>
    public byte[] Symbols { get; }

    /// <summary>One bit per byte, <see cref="BitsPerSample"/> bits per sample; the same array as <see cref="Symbols"/> when bits = 1.</summary>
    public byte[] BitString { get; }

    public int BitsPerSample { get; }

    /// <summary>Number of distinct symbols present (k in SP 800-90B).</summary>
    public int AlphabetSize { get; }

    public int Length => Symbols.Length;

    /// <summary>NIST's input format: one sample per byte, the symbol in the low <paramref name="bitsPerSample"/> bits.</summary>
    /// <exception cref="ArgumentException">Empty input, a width outside 1..8, or a sample wider than the width.</exception>
    public static SampleData FromSamples(ReadOnlySpan<byte> samples, int bitsPerSample)
    {
        ValidateWidth(bitsPerSample);
        if (samples.IsEmpty)
        {
            throw new ArgumentException("no samples (empty input)", nameof(samples));
        }

        var mask = (1 << bitsPerSample) - 1;
        var or = 0;
        foreach (var s in samples)
        {
            or |= s;
        }

        if ((or & ~mask) != 0)
        {
            var width = 32 - int.LeadingZeroCount(or);
            throw new ArgumentException(
                $"samples are {width} bits wide but --bits is {bitsPerSample} (sample value {FirstWide(samples, mask)} does not fit)",
                nameof(samples));
        }

        return Build(samples.ToArray(), bitsPerSample);
    }

    /// <summary>Splits packed bytes into <paramref name="bitsPerSample"/>-bit samples, most significant bits first.</summary>
    /// <remarks>Trailing bits that do not fill a whole sample are dropped.</remarks>
    public static SampleData FromPackedBytes(ReadOnlySpan<byte> packed, int bitsPerSample)
    {
        ValidateWidth(bitsPerSample);
        var count = packed.Length * 8L / bitsPerSample;
        if (count == 0)
        {
            throw new ArgumentException("no samples (empty input)", nameof(packed));
        }

        var samples = new byte[count];
        long bit = 0;
        for (long i = 0; i < count; i++)
        {
            var value = 0;
            for (var j = 0; j < bitsPerSample; j++, bit++)
            {
                value = (value << 1) | ((packed[(int)(bit >> 3)] >> (7 - (int)(bit & 7))) & 1);
            }

            samples[i] = (byte)value;
        }

        return Build(samples, bitsPerSample);
    }

    private static SampleData Build(byte[] raw, int bits)
    {
        var present = new bool[1 << bits];
        var max = 0;
        foreach (var s in raw)
        {
            present[s] = true;
            max = Math.Max(max, s);
        }

        var map = new byte[1 << bits];
        var alphabet = 0;
        for (var i = 0; i < present.Length; i++)
        {
            if (present[i])
            {
                map[i] = (byte)alphabet++;
            }
        }

        var bitString = bits == 1 ? null : ToBitString(raw, bits);

        // NIST maps symbols down only when the alphabet has gaps below the largest symbol.
        byte[] symbols;
        if (alphabet < max + 1)
        {
            symbols = new byte[raw.Length];
            for (var i = 0; i < raw.Length; i++)
            {
                symbols[i] = map[raw[i]];
            }
        }
        else
        {
            symbols = raw;
        }

        return new SampleData(raw, symbols, bitString ?? symbols, bits, alphabet);
    }

    private static byte[] ToBitString(byte[] raw, int bits)
    {
        var result = new byte[(long)raw.Length * bits];
        for (var i = 0; i < raw.Length; i++)
        {
            var s = raw[i];
            var at = i * bits;
            for (var j = 0; j < bits; j++)
            {
                result[at + j] = (byte)((s >> (bits - 1 - j)) & 1);
            }
        }

        return result;
    }

    private static void ValidateWidth(int bitsPerSample)
    {
        if (bitsPerSample is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(bitsPerSample), bitsPerSample, "bits per sample must be 1..8");
        }
    }

    private static int FirstWide(ReadOnlySpan<byte> samples, int mask)
    {
        foreach (var s in samples)
        {
            if ((s & ~mask) != 0)
            {
                return s;
            }
        }

        return 0;
    }
}
