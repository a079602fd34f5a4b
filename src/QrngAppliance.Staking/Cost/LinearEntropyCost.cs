using System.Numerics;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Cost;

/// <summary>
/// The linear reading of the seed's prose examples: <c>v × bitsPerUnit</c> bits. With one bit per unit and a
/// deployment floor of 100 bits it reproduces both examples ("100 bits" for 10 DRST, "1,000,000 bits" for
/// 1,000,000 DRST), which the logarithmic formula does not.
/// </summary>
public sealed class LinearEntropyCost : IEntropyCostFunction
{
    public LinearEntropyCost(ulong bitsPerUnit = 1)
    {
        if (bitsPerUnit == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bitsPerUnit), "bits per unit must be at least 1");
        }

        BitsPerUnit = bitsPerUnit;
    }

    public ulong BitsPerUnit { get; }

    public string Name => "linear";

    public string Formula => BitsPerUnit == 1 ? "v" : $"v x {BitsPerUnit}";

    public BigInteger BaseBits(TransactionValue value) => (BigInteger)value.Units * BitsPerUnit;
}
