using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Proofs.Tests.Pulses;

/// <summary>
/// Chains long enough that the verifier checks signatures on every core: the first failure is still the one
/// reported, and keys from a rotation count only once the rotation itself verified.
/// </summary>
public sealed class LongChainTests
{
    private const int Length = 300;
    private const int RotateAt = 120;

    private static readonly List<Pulse> s_chain = HybridChainFactory.Chain(Length, rotateAt: RotateAt);

    [Fact]
    public void A_long_chain_with_a_rotation_verifies()
    {
        var result = PulseChainVerifier.VerifyChain(s_chain, HybridChainFactory.Info());
        Assert.True(result.Ok, result.Failure?.ToString());
        Assert.Equal((Length, 1), (result.Checked, result.Rotations));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(RotateAt - 1)]
    [InlineData(RotateAt)]
    [InlineData(RotateAt + 1)]
    [InlineData(Length - 1)]
    public void The_earliest_of_several_bad_signatures_is_the_one_reported(int first)
    {
        var chain = s_chain.ToList();
        foreach (var index in new[] { first, Math.Min(first + 40, Length - 1), Length - 1 })
        {
            chain[index] = chain[index] with { Signatures = [chain[index].Signatures[1], chain[index].Signatures[0]] };
        }

        var result = PulseChainVerifier.VerifyChain(chain, HybridChainFactory.Info());
        Assert.Equal(chain[first].Seq, result.Failure!.Seq);
        Assert.Equal(first, result.Checked);
    }

    [Fact]
    public void A_rotation_record_signed_by_the_new_keys_authorises_nothing()
    {
        var chain = s_chain.ToList();
        chain[RotateAt] = HybridChainFactory.Sign(chain[RotateAt] with { Signatures = [] }, HybridChainFactory.NextSigners);
        var failure = PulseChainVerifier.VerifyChain(chain, HybridChainFactory.Info()).Failure!;
        Assert.Equal((chain[RotateAt].Seq, "signature:ed25519"), (failure.Seq, failure.Check));
    }

    [Fact]
    public void A_malformed_pulse_deep_in_an_export_is_a_format_error()
    {
        var export = PulseExport.Write(s_chain);
        var encoded = PulseCodec.Encode(s_chain[200]);
        var at = export.AsSpan().IndexOf(encoded);
        export[at + 4] ^= 0xff; // the magic at the head of pulse 200's signed bytes
        Assert.Throws<FormatException>(() => PulseExport.Read(export));
    }
}
