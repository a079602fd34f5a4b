using QrngAppliance.Cli;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>Runs <c>qrng</c> in-process with captured stdout and stderr.</summary>
internal static class CliHarness
{
    public static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliContext(stdout, stderr, Stream.Null, false));
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
