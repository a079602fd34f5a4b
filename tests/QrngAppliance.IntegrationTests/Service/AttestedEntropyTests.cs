using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Pipeline;
using QrngAppliance.Proofs.Leaves;
using QrngAppliance.Proofs.Merkle;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.IntegrationTests.Service;

public sealed class AttestedEntropyTests(AttestedApplianceFixture fixture) : IClassFixture<AttestedApplianceFixture>
{
    private HttpClient Client => fixture.Appliance.Client;

    [Fact]
    public async Task Attested_entropy_is_the_leaf_blocks_with_inclusion_proofs_against_a_signed_pulse()
    {
        using var response = await Client.SendAsync(AttestedApplianceFixture.Post(100, "proof-1"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var bundle = JsonDocument.Parse(text).RootElement;

        Assert.Equal("proof-1", bundle.GetProperty("request_id").GetString());
        var entropy = Convert.FromHexString(bundle.GetProperty("entropy").GetString()!);
        Assert.Equal(100, entropy.Length);
        var pulse = bundle.GetProperty("pulse");
        var root = Convert.FromHexString(pulse.GetProperty("root").GetString()!);
        var treeSize = pulse.GetProperty("tree_size").GetInt64();
        var leaves = bundle.GetProperty("leaves").EnumerateArray().ToList();
        Assert.Equal(4, leaves.Count); // 100 bytes round up to four 32-byte leaves
        var blocks = new List<byte>();
        foreach (var leaf in leaves)
        {
            var data = Convert.FromBase64String(leaf.GetProperty("data").GetString()!);
            var path = leaf.GetProperty("audit_path").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList();
            Assert.True(MerkleProofs.VerifyInclusion(leaf.GetProperty("index").GetInt64(), treeSize, path, MerkleHash.Leaf(data), root));
            blocks.AddRange(EntropyLeaf.Decode(data).Block);
        }

        Assert.Equal(blocks.Take(100), entropy);
        var consumption = bundle.GetProperty("consumption");
        Assert.Equal(leaves.Select(l => l.GetProperty("index").GetInt64()), consumption.GetProperty("leaf_indexes").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(pulse.GetProperty("seq").GetUInt64(), consumption.GetProperty("pulse_seq").GetUInt64());

        // Replaying the request and fetching the proof both return the very same bundle: no new entropy.
        using var replay = await Client.SendAsync(AttestedApplianceFixture.Post(100, "proof-1"));
        Assert.Equal(text, await replay.Content.ReadAsStringAsync());
        using var fetched = await Client.SendAsync(AttestedApplianceFixture.GetProof("proof-1"));
        Assert.Equal(text, await fetched.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_id_replayed_with_another_size_is_a_conflict()
    {
        using var first = await Client.SendAsync(AttestedApplianceFixture.Post(32, "conflict-1"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await Client.SendAsync(AttestedApplianceFixture.Post(33, "conflict-1"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already used for 32 bytes", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_or_unknown_token_is_401_and_a_token_without_the_scope_is_403()
    {
        using var none = await Client.SendAsync(AttestedApplianceFixture.Post(32, "auth-1", token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString());
        using var bad = await Client.SendAsync(AttestedApplianceFixture.Post(32, "auth-1", token: AttestedApplianceFixture.ConsumeToken + "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.DoesNotContain(AttestedApplianceFixture.ConsumeToken, await bad.Content.ReadAsStringAsync());
        using var scope = await Client.SendAsync(AttestedApplianceFixture.Post(32, "auth-1", token: AttestedApplianceFixture.OtherScopeToken));
        Assert.Equal(HttpStatusCode.Forbidden, scope.StatusCode);
        using var proof = await Client.SendAsync(AttestedApplianceFixture.GetProof("auth-1", token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, proof.StatusCode);

        // None of the refused requests spent anything.
        using var missing = await Client.SendAsync(AttestedApplianceFixture.GetProof("auth-1"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("""{"bytes": 0, "request_id": "b-1"}""", "bytes")]
    [InlineData("""{"bytes": 65537, "request_id": "b-1"}""", "bytes")]
    [InlineData("""{"bytes": 1.5, "request_id": "b-1"}""", "bytes")]
    [InlineData("""{"bytes": "32", "request_id": "b-1"}""", "bytes")]
    [InlineData("""{"request_id": "b-1"}""", "bytes")]
    [InlineData("""{"bytes": 32, "request_id": ""}""", "request_id")]
    [InlineData("""{"bytes": 32, "request_id": "has space"}""", "request_id")]
    [InlineData("""{"bytes": 32, "request_id": "line\n"}""", "request_id")]
    [InlineData("""{"bytes": 32, "request_id": 5}""", "request_id")]
    [InlineData("""{"bytes": 32}""", "request_id")]
    [InlineData("""{"bytes": 32, "request_id": "b-1\""", "JSON")]
    [InlineData("""[32]""", "JSON")]
    [InlineData("", "JSON")]
    public async Task Bad_input_is_a_400_with_a_json_error_naming_the_field(string body, string named)
    {
        using var response = await Client.SendAsync(AttestedApplianceFixture.Post(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Contains(named, error);
    }

    [Fact]
    public async Task Request_id_of_129_characters_is_refused_and_128_accepted()
    {
        using var tooLong = await Client.SendAsync(AttestedApplianceFixture.Post(1, new string('a', 129)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        using var longest = await Client.SendAsync(AttestedApplianceFixture.Post(1, new string('b', 127) + ":"));
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
    }

    [Fact]
    public async Task Oversized_body_is_413()
    {
        var padding = new string(' ', QrngAppliance.Api.AttestedEntropyEndpoints.MaxBodyBytes);
        using var response = await Client.SendAsync(AttestedApplianceFixture.Post($$"""{"bytes": 32, "request_id": "big-1"}{{padding}}"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Fifty_parallel_requests_never_share_a_leaf()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await Client.SendAsync(AttestedApplianceFixture.Post(64, $"parallel-{i}"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            return JsonDocument.Parse(text).RootElement;
        }));

        var indexes = responses.SelectMany(r => r.GetProperty("consumption").GetProperty("leaf_indexes").EnumerateArray().Select(e => e.GetInt64())).ToList();
        Assert.Equal(100, indexes.Count);
        Assert.Equal(100, indexes.Distinct().Count());
        var entropies = responses.Select(r => r.GetProperty("entropy").GetString()).ToList();
        Assert.Equal(50, entropies.Distinct().Count());
    }

    [Fact]
    public async Task Leaves_that_reseed_the_drbg_are_recorded_as_spent()
    {
        using var response = await Client.GetAsync("/v1/entropy?bytes=16");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var consumption = fixture.Appliance.App.Services.GetRequiredService<AttestedConsumption>();
        var size = fixture.Appliance.App.Services.GetRequiredService<AttestedPool>().Log.Size;
        var reseeds = new List<ConsumptionRecord>();
        for (long i = 0; i < size; i++)
        {
            if (await consumption.Ledger.SpenderOfAsync(i) is { Kind: ConsumptionKind.DrbgReseed } record)
            {
                reseeds.Add(record);
            }
        }

        var reseed = Assert.Single(reseeds);
        Assert.Equal($"drbg-reseed-{reseed.LeafIndexes[0]}", reseed.RequestId);
    }
}
