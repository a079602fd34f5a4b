namespace QrngAppliance.Entropy.Conditioning;

/// <summary>SP 800-90B §3.1.5.1.2: the entropy credited to the output of a vetted conditioning function.</summary>
public static class VettedConditioning
{
    /// <summary>
    /// Output_Entropy(n_in, n_out, nw, h_in) of §3.1.5.1.2, evaluated in the log domain so that inputs of
    /// thousands of bits do not overflow. Never more than h_in, never more than min(n_out, nw), never negative.
    /// </summary>
    public static double OutputEntropy(int inputBits, int outputBits, int narrowestWidth, double inputEntropy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputBits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputBits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(narrowestWidth, 1);
        if (!(inputEntropy >= 0 && inputEntropy <= inputBits))
        {
            throw new ArgumentOutOfRangeException(nameof(inputEntropy), inputEntropy, "h_in must be in [0, n_in]");
        }

        if (inputEntropy == 0)
        {
            return 0;
        }

        // No shortcut for n_in ≤ n: §3.1.5.1.2 models the hash as a random function, which is not injective,
        // so even then the credit is below h_in (the formula gives 251.69 for n_in = n = h_in = 256).
        var n = Math.Min(outputBits, narrowestWidth);
        // P_high = 2^-h_in;  P_low = (1 - P_high) / (2^n_in - 1)
        var log2PHigh = -inputEntropy;
        var log2OneMinusPHigh = Math.Log2(1 - Math.Pow(2, log2PHigh));
        var log2TwoPowNinMinus1 = inputBits >= 64 ? inputBits : Math.Log2(Math.ScaleB(1.0, inputBits) - 1);
        var log2PLow = log2OneMinusPHigh - log2TwoPowNinMinus1;
        var a = inputBits - n;

        // ψ = 2^(n_in - n)·P_low + P_high
        var log2Psi = Log2Sum(a + log2PLow, log2PHigh);
        // U = 2^(n_in - n) + sqrt(2·n·2^(n_in - n)·ln 2) = 2^a·(1 + sqrt(2·n·ln2·2^-a));  ω = U·P_low
        var log2U = a + Math.Log2(1 + Math.Sqrt(2 * n * Math.Log(2) * Math.Pow(2, -a)));
        var log2Omega = log2U + log2PLow;

        // ψ and ω are probabilities: capped at 1 as ea_conditioning does, so tiny n never credits below 0.
        var hOut = -Math.Min(0, Math.Max(log2Psi, log2Omega));
        return Math.Min(hOut, Math.Min(inputEntropy, n));
    }

    /// <summary>log2(2^x + 2^y) without leaving the log domain.</summary>
    private static double Log2Sum(double x, double y)
    {
        var (hi, lo) = x >= y ? (x, y) : (y, x);
        return hi + Math.Log2(1 + Math.Pow(2, lo - hi));
    }
}
