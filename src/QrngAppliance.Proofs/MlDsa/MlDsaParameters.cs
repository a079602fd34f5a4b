namespace QrngAppliance.Proofs.MlDsa;

/// <summary>
/// An ML-DSA parameter set (FIPS 204 Table 1) with the byte sizes that follow from it (Table 2).
/// </summary>
public sealed class MlDsaParameters
{
    private MlDsaParameters(string name, int k, int l, int eta, int tau, int gamma1Bits, int gamma2, int omega, int lambda)
    {
        Name = name;
        K = k;
        L = l;
        Eta = eta;
        Tau = tau;
        Beta = tau * eta;
        Gamma1Bits = gamma1Bits;
        Gamma2 = gamma2;
        Omega = omega;
        Lambda = lambda;
    }

    /// <summary>ML-DSA-44, security category 2.</summary>
    public static MlDsaParameters MlDsa44 { get; } = new("ML-DSA-44", 4, 4, 2, 39, 17, Rounding.Gamma2Small, 80, 128);

    /// <summary>ML-DSA-65, security category 3 (the appliance's pulse signature).</summary>
    public static MlDsaParameters MlDsa65 { get; } = new("ML-DSA-65", 6, 5, 4, 49, 19, Rounding.Gamma2Large, 55, 192);

    /// <summary>ML-DSA-87, security category 5.</summary>
    public static MlDsaParameters MlDsa87 { get; } = new("ML-DSA-87", 8, 7, 2, 60, 19, Rounding.Gamma2Large, 75, 256);

    /// <summary>The FIPS 204 name, e.g. "ML-DSA-65".</summary>
    public string Name { get; }

    /// <summary>Rows of the matrix A.</summary>
    public int K { get; }

    /// <summary>Columns of the matrix A.</summary>
    public int L { get; }

    /// <summary>η, the bound on the secret coefficients.</summary>
    public int Eta { get; }

    /// <summary>τ, the number of ±1 coefficients in the challenge.</summary>
    public int Tau { get; }

    /// <summary>β = τ·η.</summary>
    public int Beta { get; }

    /// <summary>log2 γ1, the mask coefficient range.</summary>
    public int Gamma1Bits { get; }

    /// <summary>γ2, the low-order rounding range.</summary>
    public int Gamma2 { get; }

    /// <summary>ω, the maximum number of ones in the hint.</summary>
    public int Omega { get; }

    /// <summary>λ, the collision strength of c̃ in bits.</summary>
    public int Lambda { get; }

    /// <summary>Public key size in bytes.</summary>
    public int PublicKeyBytes => 32 + (K * 32 * 10);

    /// <summary>Secret key size in bytes.</summary>
    public int SecretKeyBytes => 128 + ((K + L) * 32 * EtaBits) + (K * 32 * 13);

    /// <summary>Signature size in bytes.</summary>
    public int SignatureBytes => CTildeBytes + (L * 32 * (Gamma1Bits + 1)) + Omega + K;

    /// <summary>Looks a parameter set up by its FIPS 204 name ("ML-DSA-44", "ML-DSA-65", "ML-DSA-87").</summary>
    public static MlDsaParameters FromName(string name) => name switch
    {
        "ML-DSA-44" => MlDsa44,
        "ML-DSA-65" => MlDsa65,
        "ML-DSA-87" => MlDsa87,
        _ => throw new ArgumentException($"unknown ML-DSA parameter set '{name}'", nameof(name)),
    };

    /// <inheritdoc/>
    public override string ToString() => Name;

    internal int CTildeBytes => Lambda / 4;

    internal int EtaBits => Eta == 2 ? 3 : 4;

    internal int W1Bits => Gamma2 == Rounding.Gamma2Small ? 6 : 4;
}
