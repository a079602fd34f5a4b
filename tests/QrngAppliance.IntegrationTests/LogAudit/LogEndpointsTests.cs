using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QrngAppliance.Proofs.Merkle;

namespace QrngAppliance.IntegrationTests.LogAudit;

public sealed class LogEndpointsTests(LogApplianceFixture fixture) : IClassFixture<LogApplianceFixture>
{
    private HttpClient Client => fixture.Appliance.Client;

    [Fact]
    public async Task Consistency_proof_links_the_roots_of_two_signed_pulses()
    {
        var (first, second) = (LogApplianceFixture.Signed(fixture.First), LogApplianceFixture.Signed(fixture.Second));
        var body = await fixture.Appliance.GetJsonAsync($"/v1/log/consistency?first={first.TreeSize}&second={second.TreeSize}");
        Assert.Equal(first.TreeSize, body.GetProperty("first").GetInt64());
        Assert.Equal(second.TreeSize, body.GetProperty("second").GetInt64());
        var proof = LogApplianceFixture.Hashes(body.GetProperty("consistency"));
        Assert.True(MerkleProofs.VerifyConsistency(first.TreeSize, second.TreeSize, proof, first.Root, second.Root));

        // The same proof does not link the first root to a root it never grew into.
        var wrong = second.Root.ToArray();
        wrong[0] ^= 1;
        Assert.False(MerkleProofs.VerifyConsistency(first.TreeSize, second.TreeSize, proof, first.Root, wrong));
    }

    [Fact]
    public async Task Equal_sizes_have_an_empty_consistency_proof()
    {
        var size = LogApplianceFixture.Signed(fixture.Second).TreeSize;
        var body = await fixture.Appliance.GetJsonAsync($"/v1/log/consistency?first={size}&second={size}");
        Assert.Empty(body.GetProperty("consistency").EnumerateArray());
    }

    [Fact]
    public async Task Leaves_rebuild_the_signed_root_and_each_inclusion_proof_verifies_under_it()
    {
        var pulse = LogApplianceFixture.Signed(fixture.Second);
        Assert.InRange(pulse.TreeSize, 1, 1000);
        var leaves = await fixture.Appliance.GetJsonAsync($"/v1/log/leaves?start=0&end={pulse.TreeSize}");
        Assert.Equal(pulse.TreeSize, leaves.GetArrayLength());

        var rebuilt = new MerkleLog();
        foreach (var (leaf, i) in leaves.EnumerateArray().Select((l, i) => (l, (long)i)))
        {
            Assert.Equal(i, leaf.GetProperty("index").GetInt64());
            rebuilt.AppendLeafHash(Convert.FromHexString(leaf.GetProperty("leaf_hash").GetString()!));
        }

        Assert.Equal(pulse.Root, rebuilt.RootAt(pulse.TreeSize));

        foreach (var index in new[] { 0, pulse.TreeSize / 2, pulse.TreeSize - 1 })
        {
            var body = await fixture.Appliance.GetJsonAsync($"/v1/log/inclusion?leaf_index={index}&tree_size={pulse.TreeSize}");
            Assert.Equal(index, body.GetProperty("leaf_index").GetInt64());
            Assert.Equal(pulse.TreeSize, body.GetProperty("tree_size").GetInt64());
            var path = LogApplianceFixture.Hashes(body.GetProperty("inclusion"));
            Assert.True(MerkleProofs.VerifyInclusion(index, pulse.TreeSize, path, rebuilt.LeafHash(index), pulse.Root));
        }
    }

    [Fact]
    public async Task A_leaf_range_is_start_inclusive_and_end_exclusive()
    {
        var leaves = await fixture.Appliance.GetJsonAsync("/v1/log/leaves?start=1&end=3");
        Assert.Equal([1L, 2L], leaves.EnumerateArray().Select(l => l.GetProperty("index").GetInt64()));
        Assert.All(leaves.EnumerateArray(), l => Assert.Equal(32, Convert.FromHexString(l.GetProperty("leaf_hash").GetString()!).Length));
    }

    [Theory]
    [InlineData("consistency", "second=2", "first= is required")]
    [InlineData("consistency", "first=1", "second= is required")]
    [InlineData("consistency", "first=abc&second=2", "whole number")]
    [InlineData("consistency", "first=-1&second=2", "whole number")]
    [InlineData("consistency", "first=1.5&second=2", "whole number")]
    [InlineData("consistency", "first=&second=2", "whole number")]
    [InlineData("consistency", "first=0&second=2", "1 <= first")]
    [InlineData("consistency", "first=3&second=2", "1 <= first")]
    [InlineData("consistency", "first=1&second=99999999999", "latest signed tree size")]
    [InlineData("consistency", "first=1&second=99999999999999999999999", "whole number")]
    [InlineData("inclusion", "tree_size=2", "leaf_index= is required")]
    [InlineData("inclusion", "leaf_index=0", "tree_size= is required")]
    [InlineData("inclusion", "leaf_index=-1&tree_size=2", "whole number")]
    [InlineData("inclusion", "leaf_index=2&tree_size=2", "not in a tree")]
    [InlineData("inclusion", "leaf_index=0&tree_size=0", "not in a tree")]
    [InlineData("inclusion", "leaf_index=0&tree_size=99999999999", "latest signed tree size")]
    [InlineData("leaves", "start=0", "end= is required")]
    [InlineData("leaves", "end=1", "start= is required")]
    [InlineData("leaves", "start=x&end=1", "whole number")]
    [InlineData("leaves", "start=-1&end=1", "whole number")]
    [InlineData("leaves", "start=2&end=2", "start < end")]
    [InlineData("leaves", "start=3&end=1", "start < end")]
    [InlineData("leaves", "start=0&end=1001", "at most 1000")]
    [InlineData("leaves", "start=0&end=99999999999", "at most 1000")]
    [InlineData("leaves", "start=99999999998&end=99999999999", "latest signed tree size")]
    public async Task Bad_input_is_a_400_with_an_error_message(string endpoint, string query, string expected)
    {
        using var response = await Client.GetAsync($"/v1/log/{endpoint}?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, body.GetProperty("error").GetString());
    }
}
