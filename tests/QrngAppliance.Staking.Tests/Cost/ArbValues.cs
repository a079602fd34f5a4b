using FsCheck;
using FsCheck.Fluent;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.Cost;

/// <summary>Transaction values spread over every magnitude from 1 to 2^128 − 1, not only small ones.</summary>
internal static class ArbValues
{
    public static Arbitrary<TransactionValue> Values() =>
        Gen.Choose(0, 127)
            .SelectMany(bits => Gen.Choose(0, int.MaxValue).Two().Two().Select(t => (bits, t)))
            .Select(x =>
            {
                var ((a, b), (c, d)) = x.t;
                var raw = ((UInt128)(uint)a << 96) | ((UInt128)(uint)b << 64) | ((UInt128)(uint)c << 32) | (uint)d;
                var masked = x.bits == 127 ? raw | (UInt128.One << 127) : raw & ((UInt128.One << (x.bits + 1)) - 1);
                return new TransactionValue(masked == UInt128.Zero ? UInt128.One : masked);
            })
            .ToArbitrary();
}
