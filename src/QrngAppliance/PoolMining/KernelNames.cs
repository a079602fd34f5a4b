using QrngAppliance.Mining.Kernels;

namespace QrngAppliance.PoolMining;

/// <summary>The algorithm and kernel names users write (<c>--algo</c>/<c>--kernel</c>, <c>Appliance:Mining</c>), read one way everywhere.</summary>
internal static class KernelNames
{
    public static readonly string[] Algorithms = ["sha256d", "sha3d"];

    /// <summary><c>auto</c> first: the default, which picks the best kernel this CPU runs.</summary>
    public static readonly string[] Kernels = ["auto", "scalar", "avx2", "avx512", "shani"];

    public static MiningAlgorithm Algorithm(string name) => name == "sha3d" ? MiningAlgorithm.Sha3d : MiningAlgorithm.Sha256d;

    /// <summary>The named kernel, or null for <c>auto</c>.</summary>
    public static KernelIsa? Isa(string name) => name switch
    {
        "scalar" => KernelIsa.Scalar,
        "avx2" => KernelIsa.Avx2,
        "avx512" => KernelIsa.Avx512,
        "shani" => KernelIsa.ShaNi,
        _ => null,
    };

    /// <summary>The requested kernel (auto: the best), or <paramref name="refuse"/>'s exception with the reason this CPU cannot run it.</summary>
    public static NonceKernel Create(MiningAlgorithm algorithm, KernelIsa? isa, Func<string, Exception> refuse)
    {
        if (isa is null)
        {
            return NonceKernels.Best(algorithm);
        }

        return NonceKernels.WhyUnavailable(algorithm, isa.Value) is { } reason ? throw refuse(reason) : NonceKernels.Create(algorithm, isa.Value);
    }
}
