namespace QrngAppliance.Entropy.Tests.Health;

/// <summary>Seeded sample streams with the faults hwsim injects (same definitions as FaultedByteGenerator).</summary>
internal static class FaultySamples
{
    public static byte[] Uniform(int count, int seed)
    {
        var data = new byte[count];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Each bit 1 with probability <paramref name="p"/>.</summary>
    public static byte[] Biased(int count, double p, int seed)
    {
        var random = new Random(seed);
        var data = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var value = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                value |= (random.NextDouble() < p ? 1 : 0) << bit;
            }

            data[i] = (byte)value;
        }

        return data;
    }

    /// <summary>Each byte repeats the previous one with probability <paramref name="p"/>, else is uniform.</summary>
    public static byte[] Correlated(int count, double p, int seed)
    {
        var random = new Random(seed);
        var data = new byte[count];
        byte previous = 0;
        for (var i = 0; i < count; i++)
        {
            previous = random.NextDouble() < p ? previous : (byte)random.Next(256);
            data[i] = previous;
        }

        return data;
    }
}
