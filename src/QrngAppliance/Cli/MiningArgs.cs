using QrngAppliance.Mining.Kernels;

namespace QrngAppliance.Cli;

/// <summary>The <c>--algo</c>, <c>--kernel</c> and <c>--threads</c> options shared by bench and mine.</summary>
internal static class MiningArgs
{
    internal static MiningAlgorithm Algorithm(CommandArgs args) =>
        args.Choice("--algo", "sha256d", "sha256d", "sha3d") == "sha3d" ? MiningAlgorithm.Sha3d : MiningAlgorithm.Sha256d;

    /// <summary>The requested kernel, or null for <c>auto</c>.</summary>
    internal static KernelIsa? Kernel(CommandArgs args) => args.Choice("--kernel", "auto", "auto", "scalar", "avx2", "avx512", "shani") switch
    {
        "scalar" => KernelIsa.Scalar,
        "avx2" => KernelIsa.Avx2,
        "avx512" => KernelIsa.Avx512,
        "shani" => KernelIsa.ShaNi,
        _ => null,
    };

    /// <summary>
    /// <c>--threads</c>, capped at the CPUs this process may use: more search threads than CPUs only add context
    /// switches (and starve the appliance's own work), so a larger request is capped with a warning on stderr.
    /// </summary>
    internal static int Threads(CommandArgs args, CliContext context, string verb)
    {
        var cpus = Environment.ProcessorCount;
        var requested = args.Int32("--threads", cpus, 1, 1024);
        if (requested <= cpus)
        {
            return requested;
        }

        context.Error.WriteLine($"qrng {verb}: --threads {requested} is more than the {cpus} CPUs here; using {cpus}");
        return cpus;
    }

    /// <summary>The requested kernel, refusing one that cannot run at speed here; auto picks the best.</summary>
    internal static NonceKernel CreateKernel(MiningAlgorithm algorithm, KernelIsa? isa)
    {
        if (isa is null)
        {
            return NonceKernels.Best(algorithm);
        }

        return NonceKernels.WhyUnavailable(algorithm, isa.Value) is { } reason
            ? throw new UsageException($"--kernel {isa.Value.ToString().ToLowerInvariant()}: {reason}")
            : NonceKernels.Create(algorithm, isa.Value);
    }

    internal static string Lower(this Enum value) => value.ToString().ToLowerInvariant();
}
