using System.Diagnostics;

namespace QrngAppliance.IntegrationTests.Support;

/// <summary>Finds and runs the Debian tools that scripts/install-test-deps.sh installs.</summary>
internal static class ExternalTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);

    /// <summary>The path of a tool the test script installs; its absence is a failure, not a skip.</summary>
    public static string Require(string name, string package) =>
        Find(name) ?? throw new InvalidOperationException(
            $"'{name}' is not on PATH; install Debian package '{package}' (scripts/install-test-deps.sh does)");

    /// <summary>Runs a tool to completion with a time bound, feeding <paramref name="stdin"/>; kills it on timeout.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName,
        IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
