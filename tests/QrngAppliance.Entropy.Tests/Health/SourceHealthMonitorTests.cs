using QrngAppliance.Entropy.Health;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Entropy.Tests.Health;

public sealed class SourceHealthMonitorTests
{
    // An 8-bit source claiming H = 4: RCT cutoff 6, APT window 512 with cutoff 62. Uniform bytes from a
    // seeded generator never come near either cutoff, so every alarm below is one the test planted.
    private const int Bits = 8;
    private const double H = 4;
    private const int W = 512;
    private const int Startup = SourceHealthMonitor.DefaultStartupSamples;

    public static TheoryData<int> ChunkSizes => new() { int.MaxValue, 1, 97, 512 };

    [Fact]
    public void Monitor_uses_the_cutoffs_and_window_of_its_claim()
    {
        var monitor = new SourceHealthMonitor(Bits, H);
        Assert.Equal(6, monitor.RctCutoff);
        Assert.Equal(62, monitor.AptCutoff);
        Assert.Equal(W, monitor.Window);
        Assert.Equal(SourceState.Starting, monitor.State);

        var binary = new SourceHealthMonitor(1, 1.0);
        Assert.Equal(21, binary.RctCutoff);
        Assert.Equal(589, binary.AptCutoff);
        Assert.Equal(1024, binary.Window);
    }

    [Fact]
    public void Nothing_is_released_before_1024_startup_samples_and_the_first_window_follows_them()
    {
        var input = Random(Startup + W, seed: 1);
        var monitor = new SourceHealthMonitor(Bits, H);

        Assert.Empty(monitor.Process(input.AsSpan(0, Startup - 1)).Released);
        Assert.Equal(SourceState.Starting, monitor.State);
        Assert.Empty(monitor.Process(input.AsSpan(Startup - 1, 1)).Released);
        Assert.Equal(SourceState.Healthy, monitor.State);
        Assert.Empty(monitor.Process(input.AsSpan(Startup, W - 1)).Released);

        var last = monitor.Process(input.AsSpan(Startup + W - 1, 1));
        var window = Assert.Single(last.Released);
        Assert.Equal(0UL, window.Id);
        Assert.Equal(input[Startup..(Startup + W)], window.Samples);
        Assert.Empty(last.Failures);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Healthy_input_is_released_as_consecutive_full_windows_with_increasing_ids(int chunk)
    {
        var input = Random(Startup + (5 * W) + 100, seed: 2);
        var monitor = new SourceHealthMonitor(Bits, H, firstWindowId: 40);
        var (released, failures) = Run(monitor, input, chunk);

        Assert.Empty(failures);
        Assert.Equal(5, released.Count);
        for (var i = 0; i < released.Count; i++)
        {
            Assert.Equal(40UL + (ulong)i, released[i].Id);
            Assert.Equal(input[(Startup + (i * W))..(Startup + ((i + 1) * W))], released[i].Samples);
        }

        Assert.Equal(45UL, monitor.NextWindowId);
    }

    [Fact]
    public void Binary_source_releases_windows_of_1024()
    {
        var rng = new Random(3);
        var input = Enumerable.Range(0, Startup + 2048).Select(_ => (byte)rng.Next(2)).ToArray();
        var monitor = new SourceHealthMonitor(1, 1.0);
        var result = monitor.Process(input);
        Assert.Empty(result.Failures);
        Assert.Equal(2, result.Released.Count);
        Assert.All(result.Released, w => Assert.Equal(1024, w.Samples.Length));
        Assert.Equal(input[Startup..(Startup + 1024)], result.Released[0].Samples);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Stuck_run_fires_the_rct_discards_the_window_and_quarantines_until_a_fresh_startup(int chunk)
    {
        // Three good windows, then 100 samples into the fourth a stuck run of exactly C = 6 equal values.
        var failedWindowStart = Startup + (3 * W);
        var runStart = failedWindowStart + 100;
        var input = Random(runStart + 6 + Startup + (3 * W), seed: 4);
        var stuck = (byte)(input[runStart - 1] ^ 0x5a);
        input.AsSpan(runStart, 6).Fill(stuck);
        if (input[runStart + 6] == stuck)
        {
            input[runStart + 6] ^= 1;
        }

        var alarmIndex = runStart + 5; // the sample at which the run count reaches C
        var monitor = new SourceHealthMonitor(Bits, H);
        var (released, failures) = Run(monitor, input, chunk, stopAfter: alarmIndex + 1);

        var failure = Assert.Single(failures);
        Assert.Equal(new HealthFailure(HealthTestKind.Rct, alarmIndex, DuringStartup: false), failure);
        Assert.Equal(SourceState.Quarantined, monitor.State);
        Assert.Equal(1, monitor.RctFailures);
        Assert.Equal(0, monitor.AptFailures);
        Assert.Equal(3, released.Count);

        // Re-entry only after a fresh 1024-sample startup, counted from the sample after the alarm.
        var resume = alarmIndex + 1;
        var (duringStartup, _) = Run(monitor, input[resume..(resume + Startup - 1)], chunk);
        Assert.Empty(duringStartup);
        Assert.Equal(SourceState.Quarantined, monitor.State);
        var (after, laterFailures) = Run(monitor, input[(resume + Startup - 1)..], chunk);
        Assert.Empty(laterFailures);
        Assert.Equal(SourceState.Healthy, monitor.State);
        released.AddRange(after);

        // Every released window is a contiguous slice of the input at the expected place; ids have no gaps.
        var expectedStarts = new List<int> { Startup, Startup + W, Startup + (2 * W) };
        for (var s = resume + Startup; s + W <= input.Length; s += W)
        {
            expectedStarts.Add(s);
        }

        Assert.Equal(expectedStarts.Count, released.Count);
        for (var i = 0; i < released.Count; i++)
        {
            Assert.Equal((ulong)i, released[i].Id);
            Assert.Equal(input[expectedStarts[i]..(expectedStarts[i] + W)], released[i].Samples);
        }

        AssertNoReleasedSampleIn(expectedStarts, failedWindowStart, alarmIndex);
        AssertNoReleasedSampleIn(expectedStarts, resume, resume + Startup - 1);
    }

    [Fact]
    public void Marked_samples_of_the_failed_window_never_appear_in_any_released_window()
    {
        // Mark by value: every sample of the window that will fail is 0xF0..0xFF (the RCT stuck value
        // included); every other sample is 0x00..0xEF. Any marked byte in a released window is a leak.
        var rng = new Random(5);
        var failedStart = Startup + (2 * W);
        var total = failedStart + W + Startup + (2 * W);
        var input = new byte[total];
        for (var i = 0; i < total; i++)
        {
            input[i] = (byte)rng.Next(0xF0);
        }

        for (var i = failedStart; i < failedStart + W; i++)
        {
            input[i] = (byte)(0xF0 + rng.Next(16));
        }

        var runStart = failedStart + 300;
        input.AsSpan(runStart, 6).Fill(0xFF);
        input[runStart - 1] = 0xF1;
        input[runStart + 6] = 0xF2;

        var monitor = new SourceHealthMonitor(Bits, H);
        var result = monitor.Process(input);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(HealthTestKind.Rct, failure.Test);
        Assert.Equal(runStart + 5, failure.SampleIndex);
        Assert.NotEmpty(result.Released);
        Assert.All(result.Released, w => Assert.DoesNotContain(w.Samples, s => s >= 0xF0));
        Assert.Equal(SourceState.Healthy, monitor.State);
        // Two windows before the failure; after it, the rest of the marked window and a 1024-sample startup.
        var afterStartup = runStart + 6 + Startup;
        Assert.Equal(2 + ((total - afterStartup) / W), result.Released.Count);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Biased_window_fires_the_apt_at_the_cutoff_and_is_discarded(int chunk)
    {
        var biasedStart = Startup + (2 * W);
        var input = Random(biasedStart + W + Startup + W, seed: 6);
        // In the biased window the first value A recurs at every third sample (no runs, so the RCT stays quiet)
        // and nowhere else; B counts A itself, so the 62nd occurrence (B = C) is at offset 3·61 = 183.
        var a = input[biasedStart];
        for (var offset = 1; offset < W; offset++)
        {
            ref var sample = ref input[biasedStart + offset];
            if (offset % 3 == 0)
            {
                sample = a;
            }
            else if (sample == a)
            {
                sample ^= 0x80;
            }
        }

        var alarmIndex = biasedStart + 183;
        var monitor = new SourceHealthMonitor(Bits, H);
        var (released, failures) = Run(monitor, input, chunk);

        var failure = Assert.Single(failures);
        Assert.Equal(new HealthFailure(HealthTestKind.Apt, alarmIndex, DuringStartup: false), failure);
        Assert.Equal(1, monitor.AptFailures);
        Assert.Equal(0, monitor.RctFailures);

        var starts = new List<int> { Startup, Startup + W };
        for (var s = alarmIndex + 1 + Startup; s + W <= input.Length; s += W)
        {
            starts.Add(s);
        }

        Assert.Equal(starts.Count, released.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            Assert.Equal((ulong)i, released[i].Id);
            Assert.Equal(input[starts[i]..(starts[i] + W)], released[i].Samples);
        }

        AssertNoReleasedSampleIn(starts, biasedStart, alarmIndex);
    }

    [Fact]
    public void Apt_with_one_occurrence_fewer_than_the_cutoff_passes()
    {
        var biasedStart = Startup;
        var input = Random(Startup + W, seed: 7);
        var a = input[biasedStart];
        for (var offset = 1; offset < W; offset++)
        {
            ref var sample = ref input[biasedStart + offset];
            sample = offset % 3 == 0 && offset <= 3 * 60 ? a : sample == a ? (byte)(a ^ 0x80) : sample;
        }

        var result = new SourceHealthMonitor(Bits, H).Process(input);
        Assert.Empty(result.Failures);
        Assert.Equal(input[Startup..], Assert.Single(result.Released).Samples);
    }

    [Fact]
    public void Failure_during_startup_restarts_the_startup_count()
    {
        var input = Random(500 + 6 + Startup + W, seed: 8);
        input.AsSpan(500, 6).Fill((byte)(input[499] ^ 1));
        if (input[506] == input[500])
        {
            input[506] ^= 2;
        }

        var monitor = new SourceHealthMonitor(Bits, H);
        var first = monitor.Process(input.AsSpan(0, 506));
        Assert.Equal(new HealthFailure(HealthTestKind.Rct, 505, DuringStartup: true), Assert.Single(first.Failures));
        Assert.Equal(SourceState.Quarantined, monitor.State);

        Assert.Empty(monitor.Process(input.AsSpan(506, Startup - 1)).Released);
        Assert.Equal(SourceState.Quarantined, monitor.State);
        Assert.Empty(monitor.Process(input.AsSpan(506 + Startup - 1, 1)).Released);
        Assert.Equal(SourceState.Healthy, monitor.State);
        var window = Assert.Single(monitor.Process(input.AsSpan(506 + Startup)).Released);
        Assert.Equal(input[(506 + Startup)..], window.Samples);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void A_stuck_episode_is_one_alarm_however_many_samples_fail_and_a_second_episode_is_a_second_alarm(int chunk)
    {
        // Healthy, stuck for 100 000 samples (the RCT re-trips every C = 6 samples of each restarted startup),
        // healthy long enough to pass a fresh startup, then stuck again.
        var healthy = Startup + (2 * W);
        var input = Random((2 * healthy) + (2 * 100_000), seed: 11);
        input.AsSpan(healthy, 100_000).Fill(0x42);
        input.AsSpan((2 * healthy) + 100_000, 100_000).Fill(0x42);
        var monitor = new SourceHealthMonitor(Bits, H);

        var (_, first) = Run(monitor, input, chunk, stopAfter: healthy + 100_000);
        var alarm = Assert.Single(first);
        Assert.Equal(HealthTestKind.Rct, alarm.Test);
        Assert.Equal(1, monitor.RctFailures);
        Assert.Equal(SourceState.Quarantined, monitor.State);

        var (released, second) = Run(monitor, input.AsSpan(healthy + 100_000).ToArray(), chunk);
        Assert.NotEmpty(released);
        Assert.Single(second);
        Assert.Equal(2, monitor.RctFailures);
        Assert.Equal(0, monitor.AptFailures);
    }

    [Fact]
    public void A_run_spanning_a_window_boundary_is_caught_by_the_continuous_rct()
    {
        // 3 equal samples close one window, 3 more open the next: the RCT must not forget the run at the boundary.
        var boundary = Startup + W;
        var input = Random(boundary + W, seed: 9);
        var stuck = (byte)(input[boundary - 4] ^ 0x33);
        input.AsSpan(boundary - 3, 6).Fill(stuck);
        if (input[boundary + 3] == stuck)
        {
            input[boundary + 3] ^= 1;
        }

        var result = new SourceHealthMonitor(Bits, H).Process(input);
        Assert.Equal(boundary + 2, Assert.Single(result.Failures).SampleIndex);
    }

    [Theory]
    [InlineData(1, 0x02)]
    [InlineData(4, 0x10)]
    [InlineData(7, 0x80)]
    public void Samples_wider_than_the_sample_bits_are_rejected(int bits, byte wide)
    {
        var monitor = new SourceHealthMonitor(bits, Math.Min(bits, 1.0));
        Assert.Throws<InvalidDataException>(() => monitor.Process([0, wide]));
        var max = (byte)((1 << bits) - 1);
        Assert.Empty(monitor.Process([max, 0]).Failures);
    }

    [Fact]
    public void A_batch_with_a_wide_sample_is_rejected_whole_without_advancing()
    {
        // The valid prefix would complete the startup and a window; none of it may count, or a window id and
        // its samples would be lost with the exception.
        var bits4 = Random(Startup + W, seed: 10).Select(b => (byte)(b & 0x0f)).ToArray();
        var monitor = new SourceHealthMonitor(4, 2.0);
        Assert.Throws<InvalidDataException>(() => monitor.Process([.. bits4, 0x10]));
        Assert.Equal(SourceState.Starting, monitor.State);
        Assert.Equal(0UL, monitor.NextWindowId);

        var window = Assert.Single(monitor.Process(bits4).Released);
        Assert.Equal(0UL, window.Id);
        Assert.Equal(bits4[Startup..], window.Samples);
    }

    [Theory]
    [InlineData(0, 4.0)]
    [InlineData(9, 4.0)]
    public void Invalid_sample_width_is_rejected(int bits, double h) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceHealthMonitor(bits, h));

    private static void AssertNoReleasedSampleIn(List<int> releasedStarts, int first, int last)
    {
        foreach (var start in releasedStarts)
        {
            Assert.True(start + W - 1 < first || start > last, $"window at {start} overlaps [{first}, {last}]");
        }
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static (List<ReleasedWindow> Released, List<HealthFailure> Failures) Run(
        SourceHealthMonitor monitor, byte[] input, int chunk, int? stopAfter = null)
    {
        var released = new List<ReleasedWindow>();
        var failures = new List<HealthFailure>();
        var end = stopAfter ?? input.Length;
        for (var offset = 0; offset < end; offset += Math.Min(chunk, end - offset))
        {
            var result = monitor.Process(input.AsSpan(offset, Math.Min(chunk, end - offset)));
            released.AddRange(result.Released);
            failures.AddRange(result.Failures);
        }

        return (released, failures);
    }
}
