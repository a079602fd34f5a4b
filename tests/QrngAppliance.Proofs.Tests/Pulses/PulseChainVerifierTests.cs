using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Tests.Pulses;

public sealed class PulseChainVerifierTests
{
    [Fact]
    public void A_well_formed_chain_passes_every_link_and_signature()
    {
        var chain = PulseFactory.Chain(6);
        Assert.All(chain, p => Assert.Null(PulseFactory.Check(p)));
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Null(PulseChainVerifier.CheckLink(chain[i - 1], chain[i]));
        }
    }

    [Fact]
    public void Chain_survives_encoding_and_decoding()
    {
        var chain = PulseFactory.Chain(4).Select(p => PulseCodec.Decode(PulseCodec.Encode(p))).ToList();
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Null(PulseChainVerifier.CheckLink(chain[i - 1], chain[i]));
            Assert.Null(PulseFactory.Check(chain[i]));
        }
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(3UL)]
    [InlineData(ulong.MaxValue)]
    public void Wrong_seq_is_detected(ulong seq)
    {
        var chain = PulseFactory.Chain(2);
        var reason = PulseChainVerifier.CheckLink(chain[0], chain[1] with { Seq = seq == 1 ? 2 : seq });
        Assert.Contains("expected seq 1", reason);
    }

    [Fact]
    public void Seq_cannot_wrap_around_at_the_maximum()
    {
        var last = PulseFactory.Unsigned(ulong.MaxValue);
        var next = PulseFactory.Unsigned(0, PulseCodec.Hash(last));
        Assert.NotNull(PulseChainVerifier.CheckLink(last, next with { Time = last.Time.AddSeconds(1) }));
    }

    [Fact]
    public void Wrong_prev_hash_is_detected_for_any_flipped_bit()
    {
        var chain = PulseFactory.Chain(2);
        for (var bit = 0; bit < 256; bit += 5)
        {
            var prev = chain[1].PrevPulseHash.ToArray();
            prev[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Contains("prev_pulse_hash", PulseChainVerifier.CheckLink(chain[0], chain[1] with { PrevPulseHash = prev }));
        }

        // Linking to a pulse other than the actual predecessor fails too.
        var other = PulseFactory.Chain(3);
        Assert.NotNull(PulseChainVerifier.CheckLink(other[0] with { TreeSize = 11 }, other[1]));
    }

    [Fact]
    public void Time_going_backwards_is_detected_and_equal_time_is_allowed()
    {
        var chain = PulseFactory.Chain(2);
        Assert.Contains("time goes backwards",
            PulseChainVerifier.CheckLink(chain[0], chain[1] with { Time = chain[0].Time.AddMilliseconds(-1) }));
        var sameTime = chain[1] with { Time = chain[0].Time };
        Assert.Null(PulseChainVerifier.CheckLink(chain[0], sameTime));
    }

    [Fact]
    public void Shrinking_tree_is_detected_and_equal_size_is_allowed()
    {
        var chain = PulseFactory.Chain(2);
        Assert.Contains("tree shrank", PulseChainVerifier.CheckLink(chain[0], chain[1] with { TreeSize = chain[0].TreeSize - 1 }));
        Assert.Null(PulseChainVerifier.CheckLink(chain[0], chain[1] with { TreeSize = chain[0].TreeSize }));
    }

    [Fact]
    public void Changed_appliance_id_is_detected()
    {
        var chain = PulseFactory.Chain(2);
        Assert.Contains("appliance id", PulseChainVerifier.CheckLink(chain[0], chain[1] with { ApplianceId = "appliance-8" }));
    }

    public static TheoryData<string> Tamperings => new(s_tamper.Keys);

    private static readonly Dictionary<string, Func<Pulse, Pulse>> s_tamper = new()
    {
        ["appliance id"] = p => p with { ApplianceId = p.ApplianceId + "x" },
        ["seq"] = p => p with { Seq = p.Seq + 1 },
        ["prev hash"] = p => p with { PrevPulseHash = Flip(p.PrevPulseHash, 31) },
        ["time"] = p => p with { Time = p.Time.AddMilliseconds(1) },
        ["tree size"] = p => p with { TreeSize = p.TreeSize + 1 },
        ["root"] = p => p with { Root = Flip(p.Root, 0) },
        ["entropy credited"] = p => p with { EntropyBitsCredited = p.EntropyBitsCredited - 1 },
        ["source removed"] = p => p with { Sources = p.Sources.Skip(1).ToList() },
        ["source added"] = p => p with { Sources = [.. p.Sources, new SourceHealthSummary("x", "healthy", 0, 0, 0)] },
        ["sources reordered"] = p => p with { Sources = p.Sources.Reverse().ToList() },
        ["source id"] = p => p with { Sources = [p.Sources[0] with { SourceId = "truerng1" }, .. p.Sources.Skip(1)] },
        ["source state"] = p => p with { Sources = [p.Sources[0] with { State = "starting" }, .. p.Sources.Skip(1)] },
        ["rct failures"] = p => p with { Sources = [p.Sources[0] with { RctFailures = 1 }, .. p.Sources.Skip(1)] },
        ["apt failures"] = p => p with { Sources = [p.Sources[0] with { AptFailures = 0 }, .. p.Sources.Skip(1)] },
        ["bytes read"] = p => p with { Sources = [p.Sources[0] with { BytesRead = 123_457 }, .. p.Sources.Skip(1)] },
        ["signature bytes"] = p => p with { Signatures = [p.Signatures[0] with { Signature = Flip(p.Signatures[0].Signature, 40) }] },
        ["signature key id"] = p => p with { Signatures = [p.Signatures[0] with { KeyId = Flip(p.Signatures[0].KeyId, 0) }] },
        ["signature algorithm"] = p => p with { Signatures = [p.Signatures[0] with { Algorithm = "ml-dsa-65" }] },
        ["signature removed"] = p => p with { Signatures = [] },
        ["version"] = p => p with { Version = 3 },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Tampering_with_any_field_breaks_the_signature(string field)
    {
        var pulse = PulseFactory.Chain(3)[2];
        Assert.Null(PulseFactory.Check(pulse));
        var reason = PulseFactory.Check(s_tamper[field](pulse));
        Assert.False(reason is null, $"tampered {field} still verifies");
    }

    [Fact]
    public void Signature_by_another_key_is_not_accepted()
    {
        var pulse = PulseFactory.Sign(PulseFactory.Sign(PulseFactory.Unsigned(1), new Ed25519PulseSigner(new byte[32])), PulseFactory.MlDsaSigner);
        Assert.Contains("expected ed25519 by key", PulseFactory.Check(pulse));
        // Another key's signature relabelled with our key id does not verify either.
        var relabelled = pulse with { Signatures = [pulse.Signatures[0] with { KeyId = PulseFactory.Signer.KeyId }] };
        Assert.Contains("does not verify", PulseFactory.Check(relabelled));
    }

    [Fact]
    public void Good_signatures_behind_a_foreign_one_are_refused()
    {
        // The old lenient check looked for our key anywhere in the list; the published randomness hashes the whole
        // list, so a foreign entry in front of the canonical set must fail, not be skipped.
        var pulse = PulseFactory.SignAll(PulseFactory.Sign(PulseFactory.Unsigned(1), new Ed25519PulseSigner(new byte[32])));
        Assert.Equal(3, pulse.Signatures.Count);
        Assert.Contains("must hold one signature per chain-info key", PulseFactory.Check(pulse));
    }

    private static byte[] Flip(byte[] data, int index)
    {
        var copy = data.ToArray();
        copy[index] ^= 1;
        return copy;
    }
}
