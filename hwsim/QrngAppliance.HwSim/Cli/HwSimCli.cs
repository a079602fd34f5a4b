namespace QrngAppliance.HwSim.Cli;

/// <summary>The <c>hwsim</c> command: runs simulated devices until stopped.</summary>
public static class HwSimCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        await Console.Error.WriteLineAsync("usage: hwsim truerng --link PATH [--rate BYTES_PER_SECOND]");
        return args.Length == 0 ? 2 : 2;
    }
}
