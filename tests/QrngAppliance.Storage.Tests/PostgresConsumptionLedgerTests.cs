using Npgsql;
using QrngAppliance.Storage.Consumption;
using QrngAppliance.Storage.Postgres;

namespace QrngAppliance.Storage.Tests;

/// <summary>
/// The ledger contract on PostgreSQL. scripts/test.sh starts a local server and exports
/// <see cref="PostgresFactAttribute.Variable"/>; without it these tests are skipped (the reason is shown),
/// with it set but the server unreachable they fail. Each test class instance works in its own schema.
/// </summary>
public sealed class PostgresConsumptionLedgerTests : ConsumptionLedgerContract, IAsyncLifetime
{
    private readonly string _schema = "qrng_test_" + Guid.NewGuid().ToString("N")[..12];

    private static string ConnectionString => Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)))
        {
            return;
        }

        try
        {
            await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Unreachable server: the test itself already failed with the reason.
        }
    }

    protected override async Task<IConsumptionLedger> OpenAsync()
    {
        try
        {
            return await PostgresConsumptionLedger.OpenAsync(ConnectionString, _schema);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"{PostgresFactAttribute.Variable} is set, so PostgreSQL should be reachable, but connecting failed: {e.Message} " +
                "(start it with scripts/start-test-postgres.sh, or unset the variable to skip these tests)", e);
        }
    }

    [PostgresFact]
    public Task Consumed_record_is_found_by_request_id_and_by_each_leaf_postgres() => Consumed_record_is_found_by_request_id_and_by_each_leaf();

    [PostgresFact]
    public Task Spending_a_spent_leaf_fails_and_writes_nothing_postgres() => Spending_a_spent_leaf_fails_and_writes_nothing();

    [PostgresFact]
    public Task Replaying_a_request_id_returns_the_stored_record_and_spends_nothing_postgres() => Replaying_a_request_id_returns_the_stored_record_and_spends_nothing();

    [PostgresFact]
    public Task Replaying_a_request_id_with_another_size_is_a_conflict_postgres() => Replaying_a_request_id_with_another_size_is_a_conflict();

    [PostgresFact]
    public Task Request_ids_are_separate_per_kind_postgres() => Request_ids_are_separate_per_kind();

    [PostgresFact]
    public Task First_pulse_binding_wins_postgres() => First_pulse_binding_wins();

    [PostgresFact]
    public Task Records_survive_a_restart_and_stay_spent_postgres() => Records_survive_a_restart_and_stay_spent();

    [PostgresFact]
    public Task Concurrent_consumers_of_overlapping_leaves_spend_each_leaf_once_postgres() => Concurrent_consumers_of_overlapping_leaves_spend_each_leaf_once();

    [PostgresFact]
    public Task Records_that_do_not_match_their_size_are_refused_postgres() => Records_that_do_not_match_their_size_are_refused();

    [PostgresFact]
    public async Task Concurrent_replays_of_one_request_id_record_it_once_postgres()
    {
        await using var ledger = await OpenAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            ledger.ConsumeAsync(Attested("same", 32, 50 + i))));
        Assert.Single(results, r => r.Outcome == ConsumeOutcome.Created);
        var stored = results.Single(r => r.Outcome == ConsumeOutcome.Created).Record.LeafIndexes;
        Assert.All(results, r => Assert.Equal(stored, r.Record.LeafIndexes));
    }
}
