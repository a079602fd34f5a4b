namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// FIPS 204 §7.4: Power2Round (Alg. 35), Decompose (Alg. 36), MakeHint (Alg. 39), UseHint (Alg. 40).
/// Inputs are standard representatives in [0, q). The signing-side functions are branch-free.
/// </summary>
internal static class Rounding
{
    /// <summary>γ2 = (q−1)/88 (ML-DSA-44).</summary>
    public const int Gamma2Small = (Field.Q - 1) / 88;

    /// <summary>γ2 = (q−1)/32 (ML-DSA-65 and -87).</summary>
    public const int Gamma2Large = (Field.Q - 1) / 32;

    /// <summary>Splits r into r1·2^d + r0 with r0 in (−2^(d−1), 2^(d−1)]; returns r1 and sets r0.</summary>
    public static int Power2Round(int r, out int r0)
    {
        int r1 = (r + (1 << (Field.D - 1)) - 1) >> Field.D;
        r0 = r - (r1 << Field.D);
        return r1;
    }

    /// <summary>
    /// Splits r into r1·2γ2 + r0 with r0 in (−γ2, γ2], mapping r − r0 = q − 1 to r1 = 0 (Alg. 36).
    /// The divisions by 2γ2 are the reference code's multiply-and-shift forms, exact on [0, q).
    /// </summary>
    public static int Decompose(int r, int gamma2, out int r0)
    {
        int r1 = (r + 127) >> 7;
        if (gamma2 == Gamma2Large)
        {
            r1 = ((r1 * 1025) + (1 << 21)) >> 22;
            r1 &= 15;
        }
        else
        {
            r1 = ((r1 * 11275) + (1 << 23)) >> 24;
            r1 ^= ((43 - r1) >> 31) & r1;
        }

        r0 = r - (r1 * 2 * gamma2);
        r0 -= ((((Field.Q - 1) / 2) - r0) >> 31) & Field.Q;
        return r1;
    }

    /// <summary>
    /// The hint bit for low part r0 = LowBits(w − cs2) + ct0 and high part r1 = HighBits(w):
    /// 1 when adding −ct0 changes the high bits. This is the reference code's equivalent of
    /// MakeHint(−ct0, w − cs2 + ct0), computed without branches.
    /// </summary>
    public static int MakeHint(int r0, int r1, int gamma2)
    {
        int above = (gamma2 - r0) >> 31;            // r0 > γ2
        int below = (r0 + gamma2) >> 31;            // r0 < −γ2
        int atEdge = r0 + gamma2;                   // zero iff r0 == −γ2
        int edgeNonZero = (atEdge | -atEdge) >> 31; // −1 unless r0 == −γ2
        int highNonZero = (r1 | -r1) >> 31;         // −1 unless r1 == 0
        return (above | below | (~edgeNonZero & highNonZero)) & 1;
    }

    /// <summary>Alg. 40: the high bits of r adjusted by hint h. Runs on public data only.</summary>
    public static int UseHint(int r, int h, int gamma2)
    {
        int r1 = Decompose(r, gamma2, out int r0);
        if (h == 0)
        {
            return r1;
        }

        int m = (Field.Q - 1) / (2 * gamma2);
        return r0 > 0 ? (r1 + 1) % m : (r1 - 1 + m) % m;
    }
}
