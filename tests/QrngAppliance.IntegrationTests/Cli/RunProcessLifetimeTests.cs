using System.Net;
using System.Net.Sockets;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.IntegrationTests.Support;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>
/// <c>qrng run --sim</c> as a real process (issue 12.7): its swtpm dies with it even on SIGKILL, a swtpm left over
/// from an earlier run is recovered, and a listen address it cannot bind ends it with exit 2 and one line.
/// </summary>
public sealed class RunProcessLifetimeTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-life-").FullName;

    private string DataDir => Path.Combine(_dir, "data");

    private string TpmState => Path.Combine(DataDir, "sim", "tpm");

    [Fact]
    public async Task Swtpm_dies_when_qrng_is_killed_and_the_next_start_gets_tpm0_again()
    {
        ExternalTool.Require("swtpm", "swtpm");
        ExternalTool.Require("setpriv", "util-linux");
        int swtpm;
        await using (var first = QrngProcess.Start("run", "--sim", "--sim-devices", "truerng,tpm", "--data", DataDir, "--urls", "http://127.0.0.1:0"))
        {
            await first.WaitForStderrAsync("listening on");
            Assert.Contains(first.Stderr, l => l.Contains("as source tpm0", StringComparison.Ordinal));
            swtpm = SwtpmStateLock.FindHolder(TpmState) ?? throw new InvalidOperationException("no swtpm holds the TPM state");
            Assert.True(IsAlive(swtpm), $"swtpm {swtpm} should run while qrng runs");

            await first.KillAsync();
        }

        await WaitUntilAsync(() => !IsAlive(swtpm) && SwtpmStateLock.FindHolder(TpmState) is null, $"swtpm {swtpm} to die with qrng");

        await using var second = QrngProcess.Start("run", "--sim", "--sim-devices", "truerng,tpm", "--data", DataDir, "--urls", "http://127.0.0.1:0");
        await second.WaitForStderrAsync("listening on");
        Assert.Contains(second.Stderr, l => l.Contains("as source tpm0", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Stderr, l => l.Contains("leftover", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_leftover_swtpm_holding_the_state_is_killed_with_a_log_line_and_tpm0_starts()
    {
        ExternalTool.Require("swtpm", "swtpm");
        // Started by the test, as a crashed run would have left it: powered (--flags not-need-init,startup-clear).
        await using var leftover = await SwtpmProcess.StartAsync(TpmState);
        var leftoverPid = SwtpmStateLock.FindHolder(TpmState);
        Assert.NotNull(leftoverPid);

        await using var qrng = QrngProcess.Start("run", "--sim", "--sim-devices", "truerng,tpm", "--data", DataDir, "--urls", "http://127.0.0.1:0");
        await qrng.WaitForStderrAsync("listening on");

        Assert.Contains(qrng.Stderr, l => l.Contains($"killed leftover swtpm (pid {leftoverPid})", StringComparison.Ordinal));
        Assert.Contains(qrng.Stderr, l => l.Contains("as source tpm0", StringComparison.Ordinal));
        await WaitUntilAsync(() => leftover.HasExited, "the leftover swtpm to exit");
        Assert.NotEqual(leftoverPid, SwtpmStateLock.FindHolder(TpmState));
    }

    [Theory]
    [InlineData("127.0.0.1", "address already in use")]
    [InlineData("192.0.2.1", "address not available")] // TEST-NET-1: assigned to no host
    public async Task A_listen_address_that_cannot_be_bound_exits_2_with_one_line_naming_it(string host, string cause)
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var url = $"http://{host}:{((IPEndPoint)occupant.LocalEndpoint).Port}";

        await using var qrng = QrngProcess.Start("run", "--sim", "--sim-devices", "truerng,tpm", "--data", DataDir, "--urls", url);
        var (exit, stderr) = await qrng.WaitForExitAsync();

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"qrng run: cannot listen on {url}: {cause}", line, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Alive means running: a zombie has exited (and released its locks) even before init reaps it.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + s_bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {s_bound.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(50);
        }
    }
}
