using System.Numerics;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Benchmarks;

/// <summary>
/// Exact <c>ceil(log2(v) × 1000)</c>: the bracketed 256-bit computation against raising v^1000 in full (the
/// baseline). Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*EntropyCost*'
/// </summary>
[MemoryDiagnoser]
public class EntropyCostBenchmarks
{
    private readonly LogarithmicEntropyCost _cost = new();

    [Params("10", "1000000", "340282366920938463463374607431768211455")]
    public string Value { get; set; } = "10";

    private TransactionValue _value;

    [GlobalSetup]
    public void Setup() => _value = TransactionValue.Parse(Value);

    [Benchmark(Baseline = true)]
    public long FullPower()
    {
        var power = BigInteger.Pow(_value.Units, LogarithmicEntropyCost.SeedBitsPerDoubling);
        var bits = (long)power.GetBitLength();
        return power.IsPowerOfTwo ? bits - 1 : bits;
    }

    [Benchmark]
    public BigInteger Bracketed() => _cost.BaseBits(_value);
}
