namespace QrngAppliance.Verification;

/// <summary>A proof bundle failed <see cref="Check"/> (format, pulse, signature, chain-info, inclusion, leaf-data, entropy, consumption).</summary>
public sealed class ProofCheckFailure(string check, string reason) : Exception($"{check}: {reason}")
{
    public string Check { get; } = check;

    public string Reason { get; } = reason;
}
