using QrngAppliance.Mining.Kernels;
using QrngAppliance.PoolMining;

namespace QrngAppliance.Configuration;

/// <summary>Checks <c>Appliance:Mining</c> up front, naming the key, so a bad pool list stops startup, not mining at 3 a.m.</summary>
public static class MiningOptionsValidator
{
    private const string P = ApplianceOptions.Section + ":Mining";

    public static void Validate(MiningOptions mining)
    {
        if (!KernelNames.Algorithms.Contains(mining.Algorithm))
        {
            throw new ConfigurationException($"{P}:Algorithm", $"must be {string.Join(" or ", KernelNames.Algorithms)}, got '{mining.Algorithm}'");
        }

        if (!KernelNames.Kernels.Contains(mining.Kernel))
        {
            throw new ConfigurationException($"{P}:Kernel", $"must be {string.Join(", ", KernelNames.Kernels[..^1])} or {KernelNames.Kernels[^1]}, got '{mining.Kernel}'");
        }

        // Checked even with mining off: an admin may start it later, and a kernel this CPU lacks should stop startup, not that.
        if (KernelNames.Isa(mining.Kernel) is { } isa && NonceKernels.WhyUnavailable(KernelNames.Algorithm(mining.Algorithm), isa) is { } unavailable)
        {
            throw new ConfigurationException($"{P}:Kernel", unavailable);
        }

        if (mining.Threads is { } threads && (threads < 1 || threads > Environment.ProcessorCount))
        {
            throw new ConfigurationException($"{P}:Threads", $"must be between 1 and the {Environment.ProcessorCount} CPUs here, got {threads}");
        }

        for (var i = 0; i < mining.Pools.Count; i++)
        {
            if (!IsPoolUrl(mining.Pools[i]))
            {
                throw new ConfigurationException($"{P}:Pools:{i}", $"must look like stratum+tcp://HOST:PORT, got '{mining.Pools[i]}'");
            }
        }

        if (mining.PasswordFile is not null && mining.PasswordEnvironmentVariable is not null)
        {
            throw new ConfigurationException($"{P}:PasswordFile", "and PasswordEnvironmentVariable exclude each other");
        }

        if (!mining.Enabled)
        {
            return;
        }

        if (mining.Pools.Count == 0)
        {
            throw new ConfigurationException($"{P}:Pools", "needs at least one pool when mining is enabled");
        }

        if (string.IsNullOrWhiteSpace(mining.User))
        {
            throw new ConfigurationException($"{P}:User", "is required when mining is enabled");
        }

        _ = Password(mining);
    }

    /// <summary>The pool password from its file or variable ("x", the Stratum convention, when neither is set).</summary>
    public static string Password(MiningOptions mining)
    {
        if (mining.PasswordFile is { } file)
        {
            try
            {
                return File.ReadLines(file).FirstOrDefault()?.Trim() ?? string.Empty;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"{P}:PasswordFile", $"cannot be read: {e.Message}");
            }
        }

        if (mining.PasswordEnvironmentVariable is { } name)
        {
            return Environment.GetEnvironmentVariable(name)
                ?? throw new ConfigurationException($"{P}:PasswordEnvironmentVariable", $"names '{name}', which is not set");
        }

        return "x";
    }

    public static bool IsPoolUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "stratum+tcp" && !uri.IsDefaultPort && uri.Port > 0 && uri.AbsolutePath == "/";
}
