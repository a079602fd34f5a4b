using QrngAppliance.Mining.Kernels;
using QrngAppliance.PoolMining;

namespace QrngAppliance.Cli;

/// <summary>The <c>--algo</c>, <c>--kernel</c> and <c>--threads</c> options shared by bench and mine.</summary>
internal static class MiningArgs
{
    internal static MiningAlgorithm Algorithm(CommandArgs args) => KernelNames.Algorithm(args.Choice("--algo", "sha256d", KernelNames.Algorithms));

    /// <summary>The requested kernel, or null for <c>auto</c>.</summary>
    internal static KernelIsa? Kernel(CommandArgs args) => KernelNames.Isa(args.Choice("--kernel", "auto", KernelNames.Kernels));

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
    internal static NonceKernel CreateKernel(MiningAlgorithm algorithm, KernelIsa? isa) =>
        KernelNames.Create(algorithm, isa, reason => new UsageException($"--kernel {isa!.Value.Lower()}: {reason}"));

    internal static string Lower(this Enum value) => value.ToString().ToLowerInvariant();
}
