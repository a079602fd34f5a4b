using System.Diagnostics;
using Microsoft.Data.Sqlite;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.Storage.Tests;

public sealed class SqliteJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-journal-").FullName;

    private string DbPath => Path.Combine(_dir, "journal.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Leaves_and_pulses_survive_close_and_reopen()
    {
        var pulses = Chain(3, leavesPerPulse: 4);
        await using (var journal = await SqliteJournal.OpenAsync(DbPath))
        {
            Assert.Null(await journal.LatestPulseAsync());
            await journal.AppendLeavesAsync(Leaves(0, 5));
            await journal.AppendLeavesAsync(Leaves(5, 7));
            foreach (var p in pulses)
            {
                await journal.AppendPulseAsync(p);
            }
        }

        await using (var reopened = await SqliteJournal.OpenAsync(DbPath))
        {
            var leaves = await ReadAll(reopened);
            Assert.Equal(12, leaves.Count);
            for (var i = 0; i < leaves.Count; i++)
            {
                Assert.Equal(i, leaves[i].Index);
                Assert.Equal(CrashWriterProgram.LeafData(i), leaves[i].Data);
            }

            var latest = await reopened.LatestPulseAsync();
            Assert.NotNull(latest);
            Assert.Equal(PulseCodec.Encode(pulses[2]), PulseCodec.Encode(latest));
            Assert.Equal(PulseCodec.Encode(pulses[1]), PulseCodec.Encode((await reopened.PulseAsync(1))!));
            Assert.Null(await reopened.PulseAsync(3));
            Assert.Null(await reopened.PulseAsync(ulong.MaxValue));

            // The chain and the log continue where they stopped.
            await reopened.AppendLeavesAsync(Leaves(12, 1));
            await reopened.AppendPulseAsync(JournalPulses.Make(3, PulseCodec.Hash(pulses[2]), 13));
            Assert.Equal(3UL, (await reopened.LatestPulseAsync())!.Seq);
        }
    }

    [Theory]
    [InlineData(0, 1L)] // the first batch must start at 0
    [InlineData(5, 6L)] // gap after the stored leaves
    [InlineData(5, 4L)] // overlap
    [InlineData(5, 0L)] // restart
    public async Task Leaf_batch_not_continuing_the_journal_is_rejected_with_nothing_written(int stored, long firstIndex)
    {
        await using var journal = await SqliteJournal.OpenAsync(DbPath);
        await journal.AppendLeavesAsync(Leaves(0, stored));
        await Assert.ThrowsAsync<InvalidOperationException>(() => journal.AppendLeavesAsync(Leaves(firstIndex, 3)));
        var leaves = await ReadAll(journal);
        Assert.Equal(stored, leaves.Count);
        Assert.All(leaves, l => Assert.Equal(CrashWriterProgram.LeafData(l.Index), l.Data));
    }

    [Fact]
    public async Task Batch_with_a_gap_inside_writes_nothing_at_all()
    {
        await using var journal = await SqliteJournal.OpenAsync(DbPath);
        await journal.AppendLeavesAsync(Leaves(0, 2));
        StoredLeaf[] gapped = [.. Leaves(2, 3), .. Leaves(6, 2)];
        await Assert.ThrowsAsync<InvalidOperationException>(() => journal.AppendLeavesAsync(gapped));
        Assert.Equal(2, (await ReadAll(journal)).Count);

        // The rolled-back transaction leaves the journal usable, at the same place.
        await journal.AppendLeavesAsync(Leaves(2, 3));
        Assert.Equal(5, (await ReadAll(journal)).Count);
    }

    [Theory]
    [InlineData(0, 1UL)] // the first pulse must be seq 0
    [InlineData(3, 4UL)] // gap
    [InlineData(3, 2UL)] // duplicate
    [InlineData(3, 0UL)] // restart
    public async Task Pulse_not_continuing_the_chain_is_rejected_with_nothing_written(int stored, ulong badSeq)
    {
        await using var journal = await SqliteJournal.OpenAsync(DbPath);
        var chain = Chain(stored, 1);
        foreach (var p in chain)
        {
            await journal.AppendPulseAsync(p);
        }

        var pulse = JournalPulses.Make(badSeq, new byte[32], 99);
        await Assert.ThrowsAsync<InvalidOperationException>(() => journal.AppendPulseAsync(pulse));
        Assert.Equal(stored == 0 ? null : (ulong)(stored - 1), (await journal.LatestPulseAsync())?.Seq);
        for (ulong seq = 0; seq < (ulong)stored; seq++)
        {
            Assert.Equal(PulseCodec.Encode(chain[(int)seq]), PulseCodec.Encode((await journal.PulseAsync(seq))!));
        }

        Assert.Null(await journal.PulseAsync(badSeq >= (ulong)stored ? badSeq : (ulong)stored));
    }

    [Fact]
    public async Task Journal_runs_in_wal_mode_with_synchronous_full()
    {
        await using (var journal = await SqliteJournal.OpenAsync(DbPath))
        {
            Assert.Equal("wal", await journal.PragmaAsync("journal_mode"));
            Assert.Equal("2", await journal.PragmaAsync("synchronous")); // 2 = FULL
            Assert.Equal("ok", await journal.PragmaAsync("integrity_check"));
            await journal.AppendLeavesAsync(Leaves(0, 1));
            Assert.True(File.Exists(DbPath + "-wal"));
        }

        // WAL is persistent in the file: an independent connection sees it too.
        await using var raw = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await raw.OpenAsync();
        await using var cmd = raw.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Crash_image_taken_mid_transaction_reopens_with_only_committed_transactions()
    {
        // Snapshot the files while a large append is inside its transaction (its pages spill into the WAL
        // uncommitted): that is exactly what a power cut or kill -9 leaves on disk.
        var image = Path.Combine(_dir, "image");
        Directory.CreateDirectory(image);
        await using (var journal = await SqliteJournal.OpenAsync(DbPath))
        {
            await journal.AppendLeavesAsync(Leaves(0, 100));
            var big = new SnapshotDuringEnumeration(Leaves(100, 20_000), atIndex: 19_000, () =>
            {
                foreach (var suffix in new[] { "", "-wal" })
                {
                    File.Copy(DbPath + suffix, Path.Combine(image, "journal.db" + suffix));
                }
            });
            await Assert.ThrowsAsync<IOException>(() => journal.AppendLeavesAsync(big));
            Assert.True(new FileInfo(Path.Combine(image, "journal.db-wal")).Length > 1_000_000, "uncommitted pages reached the WAL");
            Assert.Equal(100, (await ReadAll(journal)).Count);
        }

        await using var recovered = await SqliteJournal.OpenAsync(Path.Combine(image, "journal.db"));
        Assert.Equal("ok", await recovered.PragmaAsync("integrity_check"));
        var leaves = await ReadAll(recovered);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), leaves.Select(l => l.Index));
        await recovered.AppendLeavesAsync(Leaves(100, 1));
    }

    [Fact]
    public async Task Killing_a_writer_process_mid_loop_leaves_whole_transactions_only()
    {
        var assembly = typeof(CrashWriterProgram).Assembly.Location;
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet"
            ? p
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            ArgumentList = { assembly, "crash-writer", DbPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        long reported;
        using (var child = Process.Start(start)!)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                reported = 0;
                while (reported < 40)
                {
                    var line = await child.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new InvalidOperationException("writer exited: " + await child.StandardError.ReadToEndAsync());
                    reported = long.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no dispose, no checkpoint
                await child.WaitForExitAsync();
            }
        }

        await using var journal = await SqliteJournal.OpenAsync(DbPath);
        Assert.Equal("ok", await journal.PragmaAsync("integrity_check"));
        var leaves = await ReadAll(journal);
        Assert.True(leaves.Count >= reported * CrashWriterProgram.BatchSize, $"{leaves.Count} leaves, {reported} batches reported");
        Assert.Equal(0, leaves.Count % CrashWriterProgram.BatchSize);
        for (var i = 0; i < leaves.Count; i++)
        {
            Assert.Equal(i, leaves[i].Index);
            Assert.Equal(CrashWriterProgram.LeafData(i), leaves[i].Data);
        }

        // Pulses: consecutive, linked, and never ahead of the leaves they describe.
        var latest = (await journal.LatestPulseAsync())!;
        Assert.True((long)latest.Seq + 1 >= reported);
        Assert.True(latest.TreeSize <= leaves.Count);
        for (ulong seq = 1; seq <= latest.Seq; seq++)
        {
            var previous = (await journal.PulseAsync(seq - 1))!;
            Assert.Null(PulseChainVerifier.CheckLink(previous, (await journal.PulseAsync(seq))!));
        }

        var nextIndex = leaves.Count;
        await journal.AppendLeavesAsync(Leaves(nextIndex, 1));
    }

    private static List<StoredLeaf> Leaves(long first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new StoredLeaf(first + i, CrashWriterProgram.LeafData(first + i)))];

    private static List<Pulse> Chain(int count, int leavesPerPulse)
    {
        var chain = new List<Pulse>();
        for (var i = 0; i < count; i++)
        {
            chain.Add(JournalPulses.Make((ulong)i, i == 0 ? new byte[32] : PulseCodec.Hash(chain[^1]), (i + 1) * leavesPerPulse));
        }

        return chain;
    }

    private static async Task<List<StoredLeaf>> ReadAll(IApplianceJournal journal)
    {
        var list = new List<StoredLeaf>();
        await foreach (var leaf in journal.ReadLeavesAsync())
        {
            list.Add(leaf);
        }

        return list;
    }

    /// <summary>A batch that runs <paramref name="snapshot"/> and then fails when the journal reaches one element.</summary>
    private sealed class SnapshotDuringEnumeration(List<StoredLeaf> inner, int atIndex, Action snapshot) : IReadOnlyList<StoredLeaf>
    {
        public int Count => inner.Count;

        public StoredLeaf this[int index] => inner[index];

        public IEnumerator<StoredLeaf> GetEnumerator()
        {
            for (var i = 0; i < inner.Count; i++)
            {
                if (i == atIndex)
                {
                    snapshot();
                    throw new IOException("simulated crash");
                }

                yield return inner[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
