using System.Text;
using System.Text.RegularExpressions;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Serial;
using QrngAppliance.Devices.Tests.Faults;
using QrngAppliance.Devices.Tests.Usb;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.Serial;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Serial;

public sealed partial class TrueRngProEntropySourceTests : IDisposable
{
    // Short holds keep the test quick; the simulator's 2 ms packet-mode tick sees every step well within them.
    private static readonly TimeSpan s_hold = TimeSpan.FromMilliseconds(60);
    private static readonly FirmwareProfile s_profile =
        FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "truerngpro.json"));

    private readonly TempDirectory _dir = new();

    private string LinkPath => _dir.File("truerngpro0");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_knock_is_seen_by_the_simulator_and_switches_it_to_the_requested_mode()
    {
        await using var sim = SimulatedTrueRngPro.Start(LinkPath);
        await using var source = await TrueRngProEntropySource.OpenAsync(LinkPath, s_profile, "truerngpro0", TrueRngProMode.Rng2White, s_hold, s_hold, stepApplied: Confirm(sim));

        AssertMode(sim, 9600);
        Assert.True(sim.Knocks == 1, $"speeds seen: {sim.ObservedSpeeds}");
        Assert.Equal(TrueRngProMode.Rng2White, source.Mode);
        byte[] samples = await ChaosKeyEntropySourceTests.ReadAsync(source, 4096);
        Assert.True(samples.Distinct().Count() > 200);
    }

    [Fact]
    public async Task A_knock_into_RNGDEBUG_gives_the_documented_ASCII_lines()
    {
        await using var sim = SimulatedTrueRngPro.Start(LinkPath);
        await using SerialPortStream port = await TrueRngProKnock.SelectModeAsync(LinkPath, TrueRngProMode.RngDebug, s_hold, s_hold, stepApplied: Confirm(sim));

        AssertMode(sim, 2400);
        Assert.Equal([110, 300, 110, 2400], sim.SpeedChanges);
        byte[] buffer = new byte[512];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (text.Length < 200)
        {
            int n = await port.ReadAsync(buffer, timeout.Token);
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        // Whole lines after the first line break (the flush may cut one in half).
        string[] parts = text.ToString().Split("\r\n");
        Assert.True(parts.Length >= 3, $"no debug lines in {text}");
        string[] lines = parts[1..^1];
        Assert.All(lines, l => Assert.Matches(DebugLine(), l));
    }

    [Fact]
    public async Task Opening_without_the_knock_leaves_the_simulator_in_its_power_on_mode()
    {
        await using var sim = SimulatedTrueRngPro.Start(LinkPath);
        using (SerialPortStream.Open(LinkPath, 2400, assertDtr: true))
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, sim.Knocks);
        Assert.Equal(300, sim.ModeBaud);
    }

    [Fact]
    public async Task Non_entropy_modes_are_refused_as_sources()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            TrueRngProEntropySource.OpenAsync(LinkPath, s_profile, "truerngpro0", TrueRngProMode.Unwhitened, s_hold, s_hold));
        Assert.Contains("not a binary entropy mode of truerngpro", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_knock_on_a_missing_device_names_the_path_not_access_denied()
    {
        // The knock's steps open through System.IO.Ports, which calls every failed open "access denied".
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            TrueRngProKnock.SelectModeAsync(LinkPath, TrueRngProMode.Rng2White, s_hold, s_hold));
        Assert.Contains(LinkPath, e.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_knock_on_a_regular_file_says_it_is_not_a_tty()
    {
        await File.WriteAllBytesAsync(LinkPath, [1, 2, 3]);
        var e = await Assert.ThrowsAsync<IOException>(() =>
            TrueRngProKnock.SelectModeAsync(LinkPath, TrueRngProMode.Rng2White, s_hold, s_hold));
        Assert.Contains("is it a tty?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stuck_output_through_the_pty_is_quarantined_by_the_RCT_and_recovers()
    {
        await using var sim = SimulatedTrueRngPro.Start(LinkPath, bytesPerSecond: 200_000);
        await using var source = await TrueRngProEntropySource.OpenAsync(LinkPath, s_profile, "truerngpro0", firstHold: s_hold, hold: s_hold, stepApplied: Confirm(sim));
        await new HealthDrill(source).ExpectRctAsync(sim, SimulatedFault.Stuck(0x33), recover: true);
    }

    [Fact]
    public async Task Correlated_output_through_the_pty_is_caught_by_the_RCT()
    {
        await using var sim = SimulatedTrueRngPro.Start(LinkPath, bytesPerSecond: 200_000);
        await using var source = await TrueRngProEntropySource.OpenAsync(LinkPath, s_profile, "truerngpro0", firstHold: s_hold, hold: s_hold, stepApplied: Confirm(sim));
        // p(repeat) = 0.5: a run of 4 (the RCT cutoff at H = 7) starts at any sample with probability 1/8.
        await new HealthDrill(source).ExpectRctAsync(sim, SimulatedFault.Correlation(0.5), recover: false);
    }

    [Fact]
    public async Task Slow_output_through_the_pty_still_reads_without_a_false_alarm()
    {
        await using var sim = SimulatedTrueRngPro.Start(LinkPath, bytesPerSecond: 200_000);
        sim.SetFault(SimulatedFault.Slow(20)); // 10 kB/s
        await using var source = await TrueRngProEntropySource.OpenAsync(LinkPath, s_profile, "truerngpro0", firstHold: s_hold, hold: s_hold, stepApplied: Confirm(sim));
        var drill = new HealthDrill(source);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await drill.RunUntilAsync(d => d.Released.Count >= 4, 64 * 1024, timeout.Token);

        Assert.Empty(drill.Failures);
        Assert.Equal(SourceState.Healthy, drill.Monitor.State);
    }

    [Fact]
    public async Task Unplug_mid_read_is_a_SourceDisconnectedException()
    {
        // One byte per second: after the queue is drained a read is left waiting, and the unplug lands mid-read.
        await using var sim = SimulatedTrueRngPro.Start(LinkPath, bytesPerSecond: 1);
        await using var source = await TrueRngProEntropySource.OpenAsync(LinkPath, s_profile, "truerngpro0", firstHold: s_hold, hold: s_hold, stepApplied: Confirm(sim));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] buffer = new byte[1 << 20];
        // Drain what is queued, then start a read that waits for more.
        while (true)
        {
            Task<int> read = source.ReadSamplesAsync(buffer, timeout.Token).AsTask();
            if (!await Task.WhenAny(read, Task.Delay(50, timeout.Token)).ContinueWith(t => t.Result == read, TaskScheduler.Default))
            {
                sim.Disconnect();
                await Assert.ThrowsAsync<SourceDisconnectedException>(() => read);
                return;
            }

            await read;
        }
    }

    [GeneratedRegex("^0x0[0-3][0-9A-F]{2} 0x0[0-3][0-9A-F]{2}$")]
    private static partial Regex DebugLine();

    /// <summary>
    /// The knock confirms each step with the simulator before the next (a pty coalesces termios notices, so a
    /// starved simulator thread would otherwise miss a step); bounded so that a lost step fails rather than hangs.
    /// </summary>
    private static Func<int, CancellationToken, Task> Confirm(SimulatedTrueRngPro sim) =>
        (baud, ct) => sim.WaitForSpeedAsync(baud, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);

    /// <summary>The last step was confirmed, so the mode has switched already: no waiting.</summary>
    private static void AssertMode(SimulatedTrueRngPro sim, int baud) =>
        Assert.True(sim.ModeBaud == baud, $"mode baud {sim.ModeBaud}, expected {baud}; speeds seen: {sim.ObservedSpeeds}");
}
