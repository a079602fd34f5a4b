using System.Text.Json.Nodes;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Staking.Selection;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.SecurityProofs;

public sealed class SecurityProofJsonTests
{
    private static async Task<(ProofFixture F, SecurityProof Proof)> BobAsync()
    {
        var f = await ProofFixture.CreateAsync();
        return (f, await f.Service.IssueAsync("tx-bob", TransactionValue.Parse("1000000")));
    }

    [Fact]
    public async Task A_proof_read_back_from_json_is_identical_and_verifies_offline()
    {
        var (f, proof) = await BobAsync();
        var json = SecurityProofJson.Write(proof);

        var read = SecurityProofJson.Read(json);

        Assert.Equal(json, SecurityProofJson.Write(read));
        Assert.Equal(proof.Timestamp, read.Timestamp);
        Assert.Equal(proof.ValidatorSet.Members, read.ValidatorSet.Members);
        var verdict = f.Verifier.Verify(read);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
    }

    [Fact]
    public async Task The_embedded_validator_set_is_written_in_set_order_with_stakes_up_to_2_pow_128_minus_1_as_strings()
    {
        var (_, proof) = await BobAsync();
        var set = new ValidatorSet([new WeightedValidator("zz-whale", UInt128.MaxValue), new WeightedValidator("a-minnow", 1), .. proof.ValidatorSet.Members]);
        var json = SecurityProofJson.Write(proof with { ValidatorSet = set });

        var members = JsonNode.Parse(json)!["validator_set"]!.AsArray();
        var read = SecurityProofJson.Read(json);

        Assert.Equal(set.Members.Select(m => m.Id), members.Select(m => (string)m!["id"]!));
        Assert.Equal("1", (string)members[0]!["stake"]!);
        Assert.Equal("340282366920938463463374607431768211455", (string)members[^1]!["stake"]!);
        Assert.Equal(set.Hash, read.ValidatorSet.Hash);
        Assert.Equal(json, SecurityProofJson.Write(read));
    }

    [Fact]
    public async Task The_json_carries_the_seeds_fields_under_the_quotes_names_and_types()
    {
        var (_, proof) = await BobAsync();

        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!;

        Assert.Equal(2, (int)node["version"]!);
        Assert.Equal("19932", (string)node["entropy_bits"]!);
        Assert.Equal("QuantumSecured", (string)node["tier"]!);
        Assert.Equal(4, (int)node["tier_level"]!);
        Assert.Equal(15, (int)node["validators_required"]!);
        Assert.Equal("peaceful", (string)node["state"]!);
        Assert.Null(node["security_tier"]);
        Assert.Null(node["entropy_consumed"]);
        Assert.Equal(15, node["validators"]!.AsArray().Count);
        Assert.NotNull(node["hardware_attestation"]!["pulse"]);
        Assert.NotNull(node["timestamp"]);
        Assert.Equal(proof.Consumption.Leaves.Count, node["merkle_proof"]!.AsArray().Count);
        Assert.Equal("1000000", (string)node["value"]!);
    }

    [Fact]
    public async Task A_version_1_proof_keeps_the_seeds_names_reads_back_byte_for_byte_and_verifies()
    {
        var (f, proof) = await BobAsync();
        var json = SecurityProofJson.Write(proof with { Version = SecurityProof.SeedShapeVersion });
        var node = JsonNode.Parse(json)!;
        Assert.Equal(19932, (long)node["entropy_consumed"]!);
        Assert.Equal("QuantumSecured", (string)node["security_tier"]!);
        Assert.Null(node["tier"]);

        var read = SecurityProofJson.Read(json);

        Assert.Equal(json, SecurityProofJson.Write(read));
        var verdict = f.Verifier.Verify(read);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
    }

    [Fact]
    public async Task An_unknown_version_is_refused_naming_the_versions_read()
    {
        var (_, proof) = await BobAsync();
        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!;
        node["version"] = 3;

        var error = Assert.Throws<FormatException>(() => SecurityProofJson.Read(node.ToJsonString()));

        Assert.Contains("unsupported version 3 (this build reads 1 and 2)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tier", "\"EntropyEnhanced\"")]
    [InlineData("entropy_bits", "\"19931\"")]
    [InlineData("validators_required", "14")]
    public async Task A_quote_field_edited_in_the_file_fails_verification(string field, string json)
    {
        var (f, proof) = await BobAsync();
        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!;
        node[field] = JsonNode.Parse(json);
        if (field == "tier")
        {
            node["tier_level"] = 3;
        }

        var verdict = f.Verifier.Verify(SecurityProofJson.Read(node.ToJsonString()));

        Assert.Contains(verdict.Checks, c => c.Name == SecurityProofCheck.TierForValue && !c.Passed);
    }

    [Theory]
    [InlineData("tx_id", "missing field 'tx_id'")]
    [InlineData("consumption", "missing field 'consumption'")]
    [InlineData("merkle_proof", "missing field 'merkle_proof'")]
    [InlineData("validator_set", "missing field 'validator_set'")]
    public async Task A_missing_field_is_named(string field, string message)
    {
        var (_, proof) = await BobAsync();
        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!.AsObject();
        node.Remove(field);

        var error = Assert.Throws<FormatException>(() => SecurityProofJson.Read(node.ToJsonString()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("value", "\"0\"", "at least 1")]
    [InlineData("state", "\"calm\"", "unknown state")]
    [InlineData("tier", "\"5\"", "unknown tier")]
    [InlineData("tier_level", "3", "field 'tier_level': 3 is not the level of QuantumSecured (4)")]
    [InlineData("validator_set_hash", "\"zz\"", "must be hex")]
    [InlineData("entropy_bits", "\"many\"", "must be a whole number as a decimal string")]
    [InlineData("entropy_bits", "\"019932\"", "without leading zeros, got '019932'")]
    [InlineData("entropy_bits", "19932", "field 'entropy_bits' must be a JSON string")]
    [InlineData("tx_id", "\"tx 1\"", "field 'tx_id' must be printable ASCII without spaces")]
    public async Task A_malformed_field_is_named(string field, string json, string message)
    {
        var (_, proof) = await BobAsync();
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

    [Theory]
    [InlineData("{}", "field 'validator_set' must be a JSON array")]
    [InlineData("[]", "field 'validator_set' must list at least one validator")]
    [InlineData("[\"val-00\"]", "field 'validator_set[0]' must be a JSON object")]
    [InlineData("[{\"stake\": \"5\"}]", "field 'validator_set[0].id' must be a validator id")]
    [InlineData("[{\"id\": \"Val 1\", \"stake\": \"5\"}]", "field 'validator_set[0].id' must be a validator id")]
    [InlineData("[{\"id\": \"a\"}]", "field 'validator_set[0].stake' must be a JSON string")]
    [InlineData("[{\"id\": \"a\", \"stake\": 5}]", "field 'validator_set[0].stake' must be a JSON string")]
    [InlineData("[{\"id\": \"a\", \"stake\": \"0\"}]", "from 1 to 2^128 - 1")]
    [InlineData("[{\"id\": \"a\", \"stake\": \"-5\"}]", "from 1 to 2^128 - 1")]
    [InlineData("[{\"id\": \"a\", \"stake\": \"1.5\"}]", "from 1 to 2^128 - 1")]
    [InlineData("[{\"id\": \"a\", \"stake\": \"007\"}]", "without leading zeros, got '007'")]
    [InlineData("[{\"id\": \"a\", \"stake\": \"340282366920938463463374607431768211456\"}]", "from 1 to 2^128 - 1")]
    [InlineData("[{\"id\": \"a\", \"stake\": \"5\", \"weight\": \"5\"}]", "field 'validator_set[0]' has an unknown member 'weight'")]
    [InlineData("[{\"id\": \"b\", \"stake\": \"5\"}, {\"id\": \"a\", \"stake\": \"5\"}]", "must be ordered by id (ordinal) without repeats: 'a' follows 'b'")]
    [InlineData("[{\"id\": \"a\", \"stake\": \"5\"}, {\"id\": \"a\", \"stake\": \"6\"}]", "without repeats: 'a' follows 'a'")]
    public async Task A_malformed_validator_set_is_refused_naming_the_member(string json, string message)
    {
        var (_, proof) = await BobAsync();
        var node = JsonNode.Parse(SecurityProofJson.Write(proof))!.AsObject();
        node["validator_set"] = JsonNode.Parse(json);

        var error = Assert.Throws<FormatException>(() => SecurityProofJson.Read(node.ToJsonString()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
