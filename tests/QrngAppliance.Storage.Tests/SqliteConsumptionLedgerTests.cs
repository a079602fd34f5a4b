using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using QrngAppliance.Storage.Consumption;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.Storage.Tests;

public sealed class SqliteConsumptionLedgerTests : ConsumptionLedgerContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qrng-ledger-").FullName;

    private string DbPath => Path.Combine(_dir, "qrng.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    protected override async Task<IConsumptionLedger> OpenAsync() => await SqliteConsumptionLedger.OpenAsync(DbPath);

    [Fact]
    public Task Consumed_record_is_found_by_request_id_and_by_each_leaf_sqlite() => Consumed_record_is_found_by_request_id_and_by_each_leaf();

    [Fact]
    public Task Spending_a_spent_leaf_fails_and_writes_nothing_sqlite() => Spending_a_spent_leaf_fails_and_writes_nothing();

    [Fact]
    public Task Replaying_a_request_id_returns_the_stored_record_and_spends_nothing_sqlite() => Replaying_a_request_id_returns_the_stored_record_and_spends_nothing();

    [Fact]
    public Task Replaying_a_request_id_with_another_size_is_a_conflict_sqlite() => Replaying_a_request_id_with_another_size_is_a_conflict();

    [Fact]
    public Task Request_ids_are_separate_per_kind_sqlite() => Request_ids_are_separate_per_kind();

    [Fact]
    public Task First_pulse_binding_wins_sqlite() => First_pulse_binding_wins();

    [Fact]
    public Task Records_survive_a_restart_and_stay_spent_sqlite() => Records_survive_a_restart_and_stay_spent();

    [Fact]
    public Task Concurrent_consumers_of_overlapping_leaves_spend_each_leaf_once_sqlite() => Concurrent_consumers_of_overlapping_leaves_spend_each_leaf_once();

    [Fact]
    public Task Records_that_do_not_match_their_size_are_refused_sqlite() => Records_that_do_not_match_their_size_are_refused();

    [Fact]
    public async Task Ledger_shares_the_journal_file_in_wal_with_full_sync()
    {
        await using var journal = await SqliteJournal.OpenAsync(DbPath);
        await using var ledger = await SqliteConsumptionLedger.OpenAsync(DbPath);
        await journal.AppendLeavesAsync([new StoredLeaf(0, [1, 2, 3])]);
        await ledger.ConsumeAsync(Attested("x", 32, 0));
        Assert.Equal("wal", await ledger.PragmaAsync("journal_mode"));
        Assert.Equal("2", await ledger.PragmaAsync("synchronous")); // FULL
        Assert.Equal("1", await ledger.PragmaAsync("foreign_keys"));
        Assert.Equal("ok", await journal.PragmaAsync("integrity_check"));
    }

    [Fact]
    public async Task Failure_just_before_commit_leaves_no_trace_and_the_leaves_unspent()
    {
        await using (var ledger = await SqliteConsumptionLedger.OpenAsync(DbPath))
        {
            ledger.BeforeCommit = () => throw new IOException("simulated crash before commit");
            await Assert.ThrowsAsync<IOException>(() => ledger.ConsumeAsync(Attested("lost", 64, 1, 2)));
            ledger.BeforeCommit = null;
            Assert.Null(await ledger.FindAsync(ConsumptionKind.Attested, "lost"));
        }

        await using var reopened = await SqliteConsumptionLedger.OpenAsync(DbPath);
        Assert.Null(await reopened.SpenderOfAsync(1));
        Assert.Equal(ConsumeOutcome.Created, (await reopened.ConsumeAsync(Attested("lost", 64, 1, 2))).Outcome);
    }

    [Fact]
    public async Task Killing_a_consumer_process_mid_loop_leaves_whole_records_only()
    {
        var assembly = typeof(CrashWriterProgram).Assembly.Location;
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet"
            ? p
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            ArgumentList = { assembly, "crash-consumer", DbPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        long reported = 0;
        using (var child = Process.Start(start)!)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (reported < 30)
                {
                    var line = await child.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new InvalidOperationException("consumer exited: " + await child.StandardError.ReadToEndAsync());
                    reported = long.Parse(line["committed ".Length..], CultureInfo.InvariantCulture);
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true); // SIGKILL mid-loop, likely mid-transaction
                await child.WaitForExitAsync();
            }
        }

        await using var ledger = await SqliteConsumptionLedger.OpenAsync(DbPath);
        long present = 0;
        while (await ledger.FindAsync(ConsumptionKind.Attested, $"req-{present}") is { } record)
        {
            Assert.Equal([3 * present, 3 * present + 1, 3 * present + 2], record.LeafIndexes); // never a partial record
            present++;
        }

        Assert.True(present >= reported, $"{present} records, {reported} reported committed");
        Assert.Null(await ledger.SpenderOfAsync(3 * present)); // nothing beyond the last whole record
        await Assert.ThrowsAsync<LeafAlreadySpentException>(() => ledger.ConsumeAsync(Attested("again", 32, 3 * present - 1)));
        Assert.Equal(ConsumeOutcome.Replayed, (await ledger.ConsumeAsync(Attested("req-0", 96, 900, 901, 902))).Outcome);
    }
}
