using QrngAppliance.Mining.Sha256;
using QrngAppliance.Mining.Stratum;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Mining.Tests;

public sealed class StratumJobTests
{
    [Fact]
    public void The_block_100000_job_rebuilds_the_mainnet_coinbase_merkle_root_and_header()
    {
        var v = StratumVectors.Block100000;
        var job = StratumJob.FromNotifyParams(v.GetProperty("notify").GetProperty("params"));
        var en1 = v.GetProperty("extranonce1").GetString()!;
        var en2 = v.GetProperty("extranonce2").GetString()!;
        var coinbase = job.BuildCoinbase(en1, en2);
        Assert.Equal(v.GetProperty("coinbase_txid_hex").GetString(), HashHex.ToDisplay(Sha256d.Hash(coinbase)));
        Assert.Equal(v.GetProperty("merkle_root_hex").GetString(), HashHex.ToDisplay(job.MerkleRoot(coinbase)));

        var submit = v.GetProperty("submit").GetProperty("params");
        var header = job.BuildHeader(en1, en2, submit[3].GetString()!, StratumJob.ParseWord(submit[4].GetString()!));
        Assert.Equal(v.GetProperty("header_hex").GetString(), Convert.ToHexStringLower(header));
        Assert.Equal(v.GetProperty("hash_hex").GetString(), HashHex.ToDisplay(Sha256d.Hash(header)));
    }

    [Fact]
    public void The_block_100000_share_serializes_to_the_submit_line_byte_for_byte()
    {
        var v = StratumVectors.Block100000;
        var p = v.GetProperty("submit").GetProperty("params");
        var share = new StratumShare(p[1].GetString()!, p[2].GetString()!, p[3].GetString()!, 0x10572b0f);
        Assert.Equal(StratumVectors.Compact(v.GetProperty("submit")), share.ToSubmitJson(4, p[0].GetString()!));
    }

    [Fact]
    public void The_accepted_share_rebuilds_its_header_and_meets_the_pool_difficulty()
    {
        var v = StratumVectors.AcceptedShare;
        var job = StratumJob.FromNotifyParams(v.GetProperty("notify").GetProperty("params"));
        var en1 = v.GetProperty("subscribe_result")[1].GetString()!;
        var p = v.GetProperty("submit").GetProperty("params");
        var header = job.BuildHeader(en1, p[2].GetString()!, p[3].GetString()!, StratumJob.ParseWord(p[4].GetString()!));
        Assert.Equal(v.GetProperty("header_hex").GetString(), Convert.ToHexStringLower(header));
        var hash = Sha256d.Hash(header);
        Assert.Equal(v.GetProperty("hash_hex").GetString(), HashHex.ToDisplay(hash));
        Assert.True(Target.FromDifficulty(v.GetProperty("set_difficulty")[0].GetDouble()).IsMetBy(hash));
        Assert.Equal(v.GetProperty("share_difficulty_diff1_0xffff_2^208").GetDouble(), Target.DifficultyOf(hash), 1e-8);
    }

    [Theory]
    [InlineData("[\"1\",\"00\",\"\",\"\",[],\"00000001\",\"1d00ffff\",\"00000000\",true]", "prevhash")]
    [InlineData("[\"1\",\"" + "0000000000000000000000000000000000000000000000000000000000000000" + "\",\"zz\",\"\",[],\"00000001\",\"1d00ffff\",\"00000000\",true]", "coinb1")]
    [InlineData("[\"1\"]", "9 params")]
    public void Malformed_notify_params_are_refused_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<FormatException>(() => StratumJob.FromNotifyParams(System.Text.Json.JsonDocument.Parse(json).RootElement));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }
}
