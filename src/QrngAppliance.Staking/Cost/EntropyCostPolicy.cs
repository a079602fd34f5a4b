using System.Numerics;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Cost;

/// <summary>
/// Per-deployment entropy cost: <c>max(FloorBits, ceil(f(v) × DeploymentMultiplier))</c>, before the network
/// security state's multiplier is applied.
/// </summary>
public sealed record EntropyCostPolicy
{
    public EntropyCostPolicy(IEntropyCostFunction function, decimal deploymentMultiplier = 1m, long floorBits = 0)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (deploymentMultiplier <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(deploymentMultiplier), deploymentMultiplier,
                "deployment multiplier must be positive");
        }

        if (floorBits < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(floorBits), floorBits, "floor must not be negative");
        }

        Function = function;
        DeploymentMultiplier = deploymentMultiplier;
        FloorBits = floorBits;
    }

    /// <summary>The seed's formula, unscaled: <c>ceil(log2(v) × 1000)</c>. This is what is in force by default.</summary>
    public static EntropyCostPolicy Default { get; } = new(new LogarithmicEntropyCost());

    /// <summary>The linear reading of the seed's examples: <c>max(100, v)</c> bits.</summary>
    public static EntropyCostPolicy SeedExamples { get; } = new(new LinearEntropyCost(), 1m, 100);

    public IEntropyCostFunction Function { get; }

    public decimal DeploymentMultiplier { get; }

    public long FloorBits { get; }

    /// <summary>The deployment's cost in bits for <paramref name="value"/>, exact.</summary>
    public BigInteger DeploymentBits(TransactionValue value)
    {
        var scaled = ExactRational.CeilMultiply(Function.BaseBits(value), DeploymentMultiplier);
        return BigInteger.Max(scaled, FloorBits);
    }
}
