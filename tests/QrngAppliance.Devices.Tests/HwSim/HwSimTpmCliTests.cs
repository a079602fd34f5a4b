using System.Text.RegularExpressions;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.HwSim.Cli;
using QrngAppliance.HwSim.Tpm;

namespace QrngAppliance.Devices.Tests.HwSim;

public sealed class HwSimTpmCliTests
{
    [Fact]
    public async Task Hwsim_tpm_starts_swtpm_and_prints_an_endpoint_that_answers_get_random()
    {
        Assert.True(SwtpmProcess.FindBinary() is not null, "swtpm is not installed: run scripts/install-test-deps.sh");
        using var dir = new TempDirectory();
        var stdout = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = HwSimCli.RunAsync(["tpm", "--state", dir.File("tpm")], TextReader.Null, TextWriter.Synchronized(stdout), TextWriter.Null, stop);

        Match ready;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(ready = Regex.Match(stdout.ToString(), @"ready endpoint=tcp://127\.0\.0\.1:(\d+) ctrl=(\d+)")).Success)
        {
            Assert.False(run.IsCompleted, $"hwsim tpm exited early: {stdout}");
            Assert.True(DateTime.UtcNow < deadline, "no ready line");
            await Task.Delay(20);
        }

        var port = int.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(port + 1, int.Parse(ready.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        await using (var client = new TpmClient(await TcpTpmTransport.ConnectAsync("127.0.0.1", port, CancellationToken.None)))
        {
            var random = new byte[32];
            await client.GetRandomAsync(random, CancellationToken.None);
            Assert.NotEqual(new byte[32], random);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Hwsim_tpm_without_state_is_a_usage_error()
    {
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        Assert.Equal(2, await HwSimCli.RunAsync(["tpm"], TextReader.Null, TextWriter.Null, stderr, stop));
        Assert.Contains("--state DIR", stderr.ToString());
    }
}
