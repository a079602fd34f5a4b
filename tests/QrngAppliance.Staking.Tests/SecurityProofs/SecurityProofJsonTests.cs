using System.Text.Json.Nodes;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Staking.Selection;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.SecurityProofs;

public sealed class SecurityProofJsonTests
{
    private static async Task<(ProofFixture F, SecurityProof Proof, ValidatorSet Set)> BobAsync()
    {
        var f = await ProofFixture.CreateAsync();
        var proof = await f.Service.IssueAsync("tx-bob", TransactionValue.Parse("1000000"));
        return (f, proof, await f.Registry.Registry.ActiveSetAsync());
    }

    [Fact]
    public async Task A_proof_read_back_from_json_is_identical_and_verifies_offline()
    {
        var (f, proof, set) = await BobAsync();
        var json = SecurityProofJson.Write(proof);
        var setJson = SecurityProofJson.WriteValidatorSet(set);

        var read = SecurityProofJson.Read(json);
        var readSet = SecurityProofJson.ReadValidatorSet(setJson);

        Assert.Equal(json, SecurityProofJson.Write(read));
        Assert.Equal(proof.Timestamp, read.Timestamp);
        var verdict = f.Verifier.Verify(read, readSet);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
    }

    [Fact]
    public async Task The_json_carries_the_seeds_fields()
    {
        var (_, proof, _) = await BobAsync();

        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!;

        Assert.Equal(19932, (long)node["entropy_consumed"]!);
        Assert.Equal("QuantumSecured", (string)node["security_tier"]!);
        Assert.Equal(15, node["validators"]!.AsArray().Count);
        Assert.NotNull(node["hardware_attestation"]!["pulse"]);
        Assert.NotNull(node["timestamp"]);
        Assert.Equal(proof.Consumption.Leaves.Count, node["merkle_proof"]!.AsArray().Count);
        Assert.Equal("1000000", (string)node["value"]!);
    }

    [Fact]
    public async Task A_tier_edited_in_the_file_fails_verification()
    {
        var (f, proof, set) = await BobAsync();
        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!;
        node["security_tier"] = "EntropyEnhanced";

        var verdict = f.Verifier.Verify(SecurityProofJson.Read(node.ToJsonString()), set);

        Assert.False(verdict.IsValid);
    }

    [Theory]
    [InlineData("tx_id", "missing field 'tx_id'")]
    [InlineData("consumption", "missing field 'consumption'")]
    [InlineData("merkle_proof", "missing field 'merkle_proof'")]
    public async Task A_missing_field_is_named(string field, string message)
    {
        var (_, proof, _) = await BobAsync();
        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!.AsObject();
        node.Remove(field);

        var error = Assert.Throws<FormatException>(() => SecurityProofJson.Read(node.ToJsonString()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("value", "\"0\"", "at least 1")]
    [InlineData("state", "\"calm\"", "unknown state")]
    [InlineData("security_tier", "\"5\"", "unknown tier")]
    [InlineData("validator_set_hash", "\"zz\"", "must be hex")]
    [InlineData("entropy_consumed", "\"many\"", "must be a JSON number")]
    public async Task A_malformed_field_is_named(string field, string json, string message)
    {
        var (_, proof, _) = await BobAsync();
        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!.AsObject();
        node[field] = JsonNode.Parse(json);

        var error = Assert.Throws<FormatException>(() => SecurityProofJson.Read(node.ToJsonString()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void Non_objects_are_rejected(string text)
    {
        Assert.Throws<FormatException>(() => SecurityProofJson.Read(text));
    }

    [Fact]
    public void A_validator_set_whose_hash_does_not_match_its_members_is_rejected()
    {
        var set = new ValidatorSet([new WeightedValidator("a", 5), new WeightedValidator("b", UInt128.MaxValue)]);
        var node = JsonNode.Parse(SecurityProofJson.WriteValidatorSet(set))!;
        node["validators"]![1]!["weight"] = "7";

        var error = Assert.Throws<FormatException>(() => SecurityProofJson.ReadValidatorSet(node.ToJsonString()));

        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
        Assert.Equal(set.Hash, SecurityProofJson.ReadValidatorSet(SecurityProofJson.WriteValidatorSet(set)).Hash);
    }
}
