namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// Arithmetic in Z_q, q = 2^23 − 2^13 + 1 (FIPS 204 §2.3), on signed 32-bit representatives.
/// Every function is branch-free so it can run on secret values.
/// </summary>
internal static class Field
{
    public const int Q = 8380417;

    /// <summary>q^-1 mod 2^32, for Montgomery reduction with R = 2^32.</summary>
    public const int QInv = 58728449;

    /// <summary>Dropped bits of t (FIPS 204 Table 1, d).</summary>
    public const int D = 13;

    public const int N = 256;

    /// <summary>
    /// Returns a·2^-32 mod q in (−q, q) for |a| &lt; 2^31·q.
    /// </summary>
    public static int MontgomeryReduce(long a)
    {
        int t = unchecked((int)a * QInv);
        return (int)((a - (long)t * Q) >> 32);
    }

    /// <summary>Returns r ≡ a (mod q) with −6283008 ≤ r ≤ 6283008, for a ≤ 2^31 − 2^22 − 1.</summary>
    public static int Reduce32(int a)
    {
        int t = (a + (1 << 22)) >> 23;
        return a - t * Q;
    }

    /// <summary>Adds q if a is negative.</summary>
    public static int CAddQ(int a) => a + ((a >> 31) & Q);

    /// <summary>Standard representative in [0, q).</summary>
    public static int Freeze(int a) => CAddQ(Reduce32(a));
}
