using System.Net;

namespace QrngAppliance.IntegrationTests.Service;

public sealed class AttestedEntropyLifecycleTests
{
    [Fact]
    public async Task Pool_without_enough_leaves_is_503_with_retry_after_and_spends_nothing()
    {
        // 50 bytes/s: the pool cannot hold the 2048 leaves of a 64 KiB request during this test.
        await using var appliance = await RunningAppliance.StartAsync(bytesPerSecond: 50, tokens: AttestedApplianceFixture.Tokens);
        using var response = await appliance.Client.SendAsync(AttestedApplianceFixture.Post(65536, "empty-1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("error", await response.Content.ReadAsStringAsync());
        using var proof = await appliance.Client.SendAsync(AttestedApplianceFixture.GetProof("empty-1"));
        Assert.Equal(HttpStatusCode.NotFound, proof.StatusCode);
    }

    [Fact]
    public async Task Proof_and_spent_leaves_survive_a_restart()
    {
        var dataDir = Directory.CreateTempSubdirectory("qrng-it-restart-").FullName;
        try
        {
            string before;
            await using (var first = await RunningAppliance.StartAsync(dataDir, tokens: AttestedApplianceFixture.Tokens))
            {
                await RunningAppliance.WaitForAsync(async () => await first.LatestTreeSizeAsync() >= 4, "4 leaves");
                using var response = await first.Client.SendAsync(AttestedApplianceFixture.Post(96, "restart-1"));
                before = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, before);
            }

            await using var second = await RunningAppliance.StartAsync(dataDir, tokens: AttestedApplianceFixture.Tokens);
            using var fetched = await second.Client.SendAsync(AttestedApplianceFixture.GetProof("restart-1"));
            Assert.Equal(before, await fetched.Content.ReadAsStringAsync());
            using var replay = await second.Client.SendAsync(AttestedApplianceFixture.Post(96, "restart-1"));
            Assert.Equal(before, await replay.Content.ReadAsStringAsync());
            using var conflict = await second.Client.SendAsync(AttestedApplianceFixture.Post(64, "restart-1"));
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
