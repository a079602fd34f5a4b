namespace QrngAppliance.Storage.Consumption;

/// <summary>The stored names of <see cref="ConsumptionKind"/> (stable across versions; never the enum's number).</summary>
public static class ConsumptionKinds
{
    public static string Name(ConsumptionKind kind) => kind switch
    {
        ConsumptionKind.Attested => "attested",
        ConsumptionKind.DrbgReseed => "drbg-reseed",
        ConsumptionKind.KernelSink => "kernel-sink",
        ConsumptionKind.EntropyStake => "entropy-stake",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ConsumptionKind Parse(string name) => name switch
    {
        "attested" => ConsumptionKind.Attested,
        "drbg-reseed" => ConsumptionKind.DrbgReseed,
        "kernel-sink" => ConsumptionKind.KernelSink,
        "entropy-stake" => ConsumptionKind.EntropyStake,
        _ => throw new InvalidDataException($"unknown consumption kind '{name}'"),
    };
}
