using System.Numerics;

namespace QrngAppliance.Entropy.Assessment.Iid;

/// <summary>xoshiro256** 1.0 (Blackman and Vigna, public domain), the generator the reference tool shuffles with.</summary>
internal struct Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Seeds the four words from SplitMix64, the seeding its authors recommend.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    public ulong Next()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, s] without modulo bias (Lemire's method, as the tool's randomRange64).</summary>
    public ulong Range(ulong s)
    {
        var x = Next();
        if (s == ulong.MaxValue)
        {
            return x;
        }

        s++;
        var hi = Math.BigMul(x, s, out var lo);
        if (lo < s)
        {
            var threshold = (0 - s) % s;
            while (lo < threshold)
            {
                x = Next();
                hi = Math.BigMul(x, s, out lo);
            }
        }

        return hi;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
