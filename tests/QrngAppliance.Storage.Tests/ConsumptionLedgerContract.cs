using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Storage.Tests;

/// <summary>
/// What every <see cref="IConsumptionLedger"/> must do; the SQLite and PostgreSQL test classes run each check
/// against their backend. <see cref="OpenAsync"/> reopens the same store (a restart).
/// </summary>
public abstract class ConsumptionLedgerContract
{
    protected static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123);

    protected abstract Task<IConsumptionLedger> OpenAsync();

    protected static ConsumptionRecord Attested(string id, int bytes, params long[] leaves) =>
        new(ConsumptionKind.Attested, id, bytes, leaves, At);

    protected async Task Consumed_record_is_found_by_request_id_and_by_each_leaf()
    {
        await using var ledger = await OpenAsync();
        var result = await ledger.ConsumeAsync(Attested("a-1", 65, 7, 3, 9));
        Assert.Equal(ConsumeOutcome.Created, result.Outcome);
        var found = await ledger.FindAsync(ConsumptionKind.Attested, "a-1");
        Assert.NotNull(found);
        Assert.Equal([7L, 3L, 9L], found.LeafIndexes); // output order, not index order
        Assert.Equal(65, found.Bytes);
        Assert.Equal(At, found.ConsumedAt);
        Assert.Null(found.PulseSeq);
        foreach (var leaf in new long[] { 3, 7, 9 })
        {
            Assert.Equal("a-1", (await ledger.SpenderOfAsync(leaf))?.RequestId);
        }

        Assert.Null(await ledger.SpenderOfAsync(8));
        Assert.Null(await ledger.FindAsync(ConsumptionKind.Attested, "a-2"));
    }

    protected async Task Spending_a_spent_leaf_fails_and_writes_nothing()
    {
        await using var ledger = await OpenAsync();
        await ledger.ConsumeAsync(Attested("first", 64, 1, 2));
        var e = await Assert.ThrowsAsync<LeafAlreadySpentException>(() => ledger.ConsumeAsync(Attested("second", 96, 5, 2, 6)));
        Assert.Equal(2, e.LeafIndex);
        Assert.Null(await ledger.FindAsync(ConsumptionKind.Attested, "second"));
        Assert.Null(await ledger.SpenderOfAsync(5)); // rolled back with the rest of the transaction
        Assert.Equal("first", (await ledger.SpenderOfAsync(2))?.RequestId);

        // A DRBG reseed cannot take a client's leaf either: one index space for every kind.
        await Assert.ThrowsAsync<LeafAlreadySpentException>(() =>
            ledger.ConsumeAsync(new ConsumptionRecord(ConsumptionKind.DrbgReseed, "drbg-reseed-1", 32, [1], At)));

        // The ledger stays usable after the rollback.
        Assert.Equal(ConsumeOutcome.Created, (await ledger.ConsumeAsync(Attested("second", 96, 5, 4, 6))).Outcome);
    }

    protected async Task Replaying_a_request_id_returns_the_stored_record_and_spends_nothing()
    {
        await using var ledger = await OpenAsync();
        var created = (await ledger.ConsumeAsync(Attested("r", 40, 10, 11))).Record;
        var replay = await ledger.ConsumeAsync(Attested("r", 40, 20, 21) with { ConsumedAt = At.AddHours(1) });
        Assert.Equal(ConsumeOutcome.Replayed, replay.Outcome);
        Assert.Equal([10L, 11L], replay.Record.LeafIndexes);
        Assert.Equal(created.ConsumedAt, replay.Record.ConsumedAt);
        Assert.Null(await ledger.SpenderOfAsync(20));
        Assert.Null(await ledger.SpenderOfAsync(21));
    }

    protected async Task Replaying_a_request_id_with_another_size_is_a_conflict()
    {
        await using var ledger = await OpenAsync();
        await ledger.ConsumeAsync(Attested("r", 64, 1, 2));
        var conflict = await ledger.ConsumeAsync(Attested("r", 63, 3, 4));
        Assert.Equal(ConsumeOutcome.Conflict, conflict.Outcome);
        Assert.Equal(64, conflict.Record.Bytes);
        Assert.Null(await ledger.SpenderOfAsync(3));
    }

    protected async Task Request_ids_are_separate_per_kind()
    {
        await using var ledger = await OpenAsync();
        await ledger.ConsumeAsync(Attested("drbg-reseed-5", 32, 1));
        var reseed = await ledger.ConsumeAsync(new ConsumptionRecord(ConsumptionKind.DrbgReseed, "drbg-reseed-5", 32, [5], At));
        Assert.Equal(ConsumeOutcome.Created, reseed.Outcome);
        Assert.Equal(ConsumptionKind.DrbgReseed, (await ledger.SpenderOfAsync(5))?.Kind);
    }

    protected async Task First_pulse_binding_wins()
    {
        await using var ledger = await OpenAsync();
        await ledger.ConsumeAsync(Attested("p", 32, 4));
        Assert.Equal(17UL, (await ledger.BindPulseAsync(ConsumptionKind.Attested, "p", 17)).PulseSeq);
        Assert.Equal(17UL, (await ledger.BindPulseAsync(ConsumptionKind.Attested, "p", 18)).PulseSeq);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.BindPulseAsync(ConsumptionKind.Attested, "missing", 1));
    }

    protected async Task Records_survive_a_restart_and_stay_spent()
    {
        await using (var ledger = await OpenAsync())
        {
            await ledger.ConsumeAsync(Attested("before", 64, 100, 101));
            await ledger.BindPulseAsync(ConsumptionKind.Attested, "before", 3);
        }

        await using (var reopened = await OpenAsync())
        {
            var record = await reopened.FindAsync(ConsumptionKind.Attested, "before");
            Assert.Equal([100L, 101L], record?.LeafIndexes);
            Assert.Equal(3UL, record?.PulseSeq);
            await Assert.ThrowsAsync<LeafAlreadySpentException>(() => reopened.ConsumeAsync(Attested("after", 32, 101)));
            Assert.Equal(ConsumeOutcome.Replayed, (await reopened.ConsumeAsync(Attested("before", 64, 1, 2))).Outcome);
        }
    }

    protected async Task Concurrent_consumers_of_overlapping_leaves_spend_each_leaf_once()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync(); // a second connection, as a second process would have
        IConsumptionLedger[] ledgers = [first, second];
        // Request i wants leaves i and i+1: neighbours overlap, so about half must lose.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await Task.Yield();
            try
            {
                return (await ledgers[i % 2].ConsumeAsync(Attested($"c-{i}", 64, i, i + 1))).Record;
            }
            catch (LeafAlreadySpentException)
            {
                return null;
            }
        }));

        var won = outcomes.OfType<ConsumptionRecord>().ToList();
        Assert.NotEmpty(won);
        var spent = won.SelectMany(r => r.LeafIndexes).ToList();
        Assert.Equal(spent.Count, spent.Distinct().Count());
        for (var leaf = 0; leaf <= 40; leaf++)
        {
            var spender = await first.SpenderOfAsync(leaf);
            Assert.Equal(won.SingleOrDefault(r => r.LeafIndexes.Contains(leaf))?.RequestId, spender?.RequestId);
        }
    }

    protected async Task Records_that_do_not_match_their_size_are_refused()
    {
        await using var ledger = await OpenAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.ConsumeAsync(Attested("short", 33, 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.ConsumeAsync(Attested("dup", 64, 1, 1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.ConsumeAsync(Attested("zero", 0)));
        Assert.Null(await ledger.SpenderOfAsync(1));
    }
}
