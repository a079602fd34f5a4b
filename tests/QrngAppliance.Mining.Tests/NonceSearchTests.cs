using QrngAppliance.Mining.Kernels;
using QrngAppliance.Mining.Search;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Mining.Tests;

public sealed class NonceSearchTests
{
    public static TheoryData<int, KernelIsa> HeightsAndKernels()
    {
        var data = new TheoryData<int, KernelIsa>();
        foreach (var v in HeaderVector.All)
        {
            foreach (var isa in NonceKernels.Implemented(MiningAlgorithm.Sha256d))
            {
                if (isa != KernelIsa.ShaNi || NonceKernels.WhyUnavailable(MiningAlgorithm.Sha256d, isa) is null)
                {
                    data.Add(v.Height, isa);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HeightsAndKernels))]
    public async Task A_search_around_each_mainnet_nonce_finds_exactly_that_nonce(int height, KernelIsa isa)
    {
        var v = HeaderVector.At(height);
        var search = new NonceSearch(NonceKernels.Create(MiningAlgorithm.Sha256d, isa), 2, new FixedSeedSource("pulse"));
        var report = await search.SearchAsync(v.Header, Target.FromCompact(v.Bits), v.Nonce - 1000L, 2001, null, CancellationToken.None);
        var found = Assert.Single(report.Found);
        Assert.Equal(v.Nonce, found.Nonce);
        Assert.Equal(v.HashHex, HashHex.ToDisplay(found.Hash));
        Assert.Equal(2001, report.HashesDone);
        Assert.True(report.Completed);
    }

    [Fact]
    public async Task A_find_records_the_partition_and_the_seed_provenance_it_came_from()
    {
        var v = HeaderVector.At(100000);
        var seeds = new FixedSeedSource("pulse-42");
        var search = new NonceSearch(NonceKernels.Create(MiningAlgorithm.Sha256d, KernelIsa.Avx2), 1, seeds);
        var found = new List<FoundNonce>();
        var report = await search.SearchAsync(v.Header, Target.FromCompact(v.Bits), v.Nonce - 5000L, 10_000, f => found.Add(f), CancellationToken.None);
        var share = Assert.Single(found);
        Assert.Equal("pulse-42#1", share.Seed.Provenance);
        Assert.Same(report.Seed, share.Seed);
        var size = NonceSearch.PartitionSize(10_000, 1, 8);
        Assert.Equal(v.Nonce - 5000 + (share.Partition * size), share.PartitionStart);
        Assert.InRange(v.Nonce, share.PartitionStart, share.PartitionStart + size - 1);
    }

    [Fact]
    public void Partition_order_is_a_permutation_fixed_by_the_seed()
    {
        var a = NonceSearch.Permutation(4096, new byte[32]);
        var b = NonceSearch.Permutation(4096, new byte[32]);
        var c = NonceSearch.Permutation(4096, Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(Enumerable.Range(0, 4096), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 4096), a);
    }

    [Fact]
    public async Task Sha3d_search_finds_the_hashlib_nonce()
    {
        var search = new NonceSearch(NonceKernels.Best(MiningAlgorithm.Sha3d), 2, new FixedSeedSource("pulse"));
        var target = Target.FromValue((System.Numerics.BigInteger.One << 240) - 1);
        var report = await search.SearchAsync(Sha3dTests.GenesisWithNonce(0), target, 20816, 2001, null, CancellationToken.None);
        Assert.Equal([21816u], report.Found.Select(f => f.Nonce));
    }

    [Fact]
    public async Task Cancellation_stops_a_search_of_the_whole_nonce_space()
    {
        var search = new NonceSearch(NonceKernels.Create(MiningAlgorithm.Sha256d, KernelIsa.Scalar), 2, new FixedSeedSource("pulse"));
        using var cts = new CancellationTokenSource();
        var task = search.SearchAsync(HeaderVector.At(1).Header, Target.FromCompact(0x1d00ffff), 0, 1L << 32, null, cts.Token);
        while (search.HashesDone == 0 && !task.IsCompleted)
        {
            await Task.Delay(5);
        }

        await cts.CancelAsync();
        var report = await task;
        Assert.False(report.Completed);
        Assert.InRange(report.HashesDone, 1, (1L << 32) - 1);
    }

    [Fact]
    public async Task Ranges_outside_the_nonce_space_are_refused()
    {
        var search = new NonceSearch(NonceKernels.Create(MiningAlgorithm.Sha256d, KernelIsa.Scalar), 1, new FixedSeedSource("pulse"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            search.SearchAsync(HeaderVector.At(1).Header, Target.DifficultyOne, uint.MaxValue, 2, null, CancellationToken.None));
    }

    [Fact]
    public async Task Low_priority_search_threads_run_at_nice_19_and_the_nice_value_reaches_no_other_thread()
    {
        var search = new NonceSearch(NonceKernels.Create(MiningAlgorithm.Sha256d, KernelIsa.Scalar), 2, new FixedSeedSource("pulse")) { LowPriority = true };
        var callbackNices = new System.Collections.Concurrent.ConcurrentBag<int>();
        var easiest = Target.FromValue((System.Numerics.BigInteger.One << 256) - 1); // every nonce is a find
        using var cts = new CancellationTokenSource();
        var searching = search.SearchAsync(HeaderVector.At(1).Header, easiest, 0, 1L << 32, _ => callbackNices.Add(LowCpuPriority.CurrentThreadNice()), cts.Token);
        while (search.HashesDone == 0)
        {
            await Task.Delay(5);
        }

        // What the kernel says about each search thread (field 19 of /proc/self/task/TID/stat is its nice value).
        var workerNices = Directory.GetDirectories("/proc/self/task")
            .Select(TryReadThread)
            .Where(t => t?.Comm == LowPrioritySearch.WorkerThreadName)
            .Select(t => int.Parse(t!.Value.Stat[(t.Value.Stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        await cts.CancelAsync();
        await searching;

        Assert.Equal([19, 19], workerNices);
        Assert.NotEmpty(callbackNices);
        Assert.DoesNotContain(19, callbackNices); // finds are handed over on a normal-priority thread
        Assert.NotEqual(19, LowCpuPriority.CurrentThreadNice()); // and so is the continuation after the search
        var normal = await Task.Run(LowCpuPriority.CurrentThreadNice);
        Assert.NotEqual(19, normal);
    }

    /// <summary>A thread's name and stat line, or null when it ended while we looked (other tests' threads come and go).</summary>
    private static (string Comm, string Stat)? TryReadThread(string task)
    {
        try
        {
            return (File.ReadAllText(Path.Combine(task, "comm")).Trim(), File.ReadAllText(Path.Combine(task, "stat")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
