using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QrngAppliance.IntegrationTests.Support;
using QrngAppliance.Pipeline;
using QrngAppliance.Storage.Postgres;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>The appliance with its consumption ledger on PostgreSQL (scripts/test.sh starts one), in a schema of its own.</summary>
public sealed class PostgresLedgerApplianceTests
{
    [PostgresFact]
    public async Task Parallel_attested_requests_on_a_postgres_ledger_never_share_a_leaf_and_replay_the_same_proof()
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)!;
        var schema = "qrng_it_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var appliance = await RunningAppliance.StartAsync(
                tokens: AttestedApplianceFixture.Tokens,
                configureOptions: o => (o.LedgerPostgres, o.LedgerPostgresSchema) = (connectionString, schema));
            Assert.IsType<PostgresConsumptionLedger>(appliance.App.Services.GetRequiredService<AttestedConsumption>().Ledger);
            await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 60, "60 leaves");

            var bodies = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            {
                using var response = await appliance.Client.SendAsync(AttestedApplianceFixture.Post(64, $"pg-{i}"));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, text);
                return text;
            }));

            var indexes = bodies.SelectMany(b => JsonDocument.Parse(b).RootElement.GetProperty("consumption").GetProperty("leaf_indexes").EnumerateArray().Select(e => e.GetInt64())).ToList();
            Assert.Equal(40, indexes.Distinct().Count());
            using var replay = await appliance.Client.SendAsync(AttestedApplianceFixture.Post(64, "pg-7"));
            Assert.Equal(bodies[7], await replay.Content.ReadAsStringAsync());
            using var conflict = await appliance.Client.SendAsync(AttestedApplianceFixture.Post(32, "pg-7"));
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        }
        finally
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
