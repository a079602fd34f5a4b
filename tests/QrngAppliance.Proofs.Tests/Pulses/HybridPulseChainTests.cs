using System.Security.Cryptography;
using QrngAppliance.Proofs.MlDsa;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Tests.Pulses;

public sealed class HybridPulseChainTests
{
    private const int Tampered = 3; // the pulse each tampering test changes; index 3 is the first of a new day

    private static readonly List<Pulse> s_chain = HybridChainFactory.Chain(6);

    [Fact]
    public void A_hybrid_chain_across_an_hour_and_a_day_verifies()
    {
        var result = PulseChainVerifier.VerifyChain(s_chain, HybridChainFactory.Info());
        Assert.True(result.Ok, result.Failure?.ToString());
        Assert.Equal(6, result.Checked);

        // Index 3 (00:00:00) opens a new hour and day: it links to itself; index 4 links back to it.
        Assert.True(s_chain[3].HourLink.IsSelf(s_chain[3].Seq));
        Assert.Equal(s_chain[3].Seq, s_chain[4].DayLink.Seq);
        Assert.Equal(PulseCodec.Hash(s_chain[3]), s_chain[4].DayLink.Hash);
        Assert.Equal(PulseCodec.Hash(s_chain[3]), s_chain[5].HourLink.Hash);
        Assert.Equal(s_chain[0].Seq, s_chain[2].DayLink.Seq);
    }

    [Fact]
    public void Every_pulse_carries_both_signatures_and_ml_dsa_uses_the_pulse_context()
    {
        var pulse = s_chain[1];
        Assert.Equal(["ed25519", "ml-dsa-65"], pulse.Signatures.Select(s => s.Algorithm));
        var signed = PulseCodec.SignedBytes(pulse);
        var mlDsa = pulse.Signatures[1].Signature;
        Assert.True(MlDsaScheme.MlDsa65.Verify(HybridChainFactory.MlDsa.PublicKey, signed, "qrng-pulse-v1"u8, mlDsa));
        Assert.False(MlDsaScheme.MlDsa65.Verify(HybridChainFactory.MlDsa.PublicKey, signed, ""u8, mlDsa));
        // Deterministic signing (FIPS 204 §3.4): the same bytes give the same signature.
        Assert.Equal(mlDsa, HybridChainFactory.MlDsa.Sign(signed));
        Assert.True(Ed25519.Verify(HybridChainFactory.Ed25519.PublicKey, signed, pulse.Signatures[0].Signature));
    }

    [Fact]
    public void Noble_verifies_the_ml_dsa_signature_of_a_pulse_under_the_pulse_context_only()
    {
        var pulse = s_chain[2];
        var signed = PulseCodec.SignedBytes(pulse);
        var signature = pulse.Signatures.Single(s => s.Algorithm == "ml-dsa-65").Signature;
        var requests = new System.Text.Json.Nodes.JsonArray
        {
            QrngAppliance.Proofs.Tests.MlDsa.NoblePeer.VerifyRequest(HybridChainFactory.MlDsa.PublicKey, signed, "qrng-pulse-v1"u8.ToArray(), signature),
            QrngAppliance.Proofs.Tests.MlDsa.NoblePeer.VerifyRequest(HybridChainFactory.MlDsa.PublicKey, signed, [], signature),
        };
        var results = QrngAppliance.Proofs.Tests.MlDsa.NoblePeer.Run(requests);
        Assert.True(QrngAppliance.Proofs.Tests.MlDsa.NoblePeer.Valid(results[0]));
        Assert.False(QrngAppliance.Proofs.Tests.MlDsa.NoblePeer.Valid(results[1]));
    }

    [Fact]
    public void Version_2_pulses_round_trip_and_randomness_hashes_signed_bytes_and_signatures()
    {
        var pulse = s_chain[4] with { RotateTo = [.. HybridChainFactory.NextSigners.Select(PulseKey.Of)] };
        var decoded = PulseCodec.Decode(PulseCodec.Encode(pulse));
        Assert.Equal(PulseCodec.Encode(pulse), PulseCodec.Encode(decoded));
        Assert.Equal(pulse.LocalRandom, decoded.LocalRandom);
        Assert.Equal(pulse.Precommit, decoded.Precommit);
        Assert.Equal(pulse.HourLink.Seq, decoded.HourLink.Seq);
        Assert.Equal(pulse.DayLink.Hash, decoded.DayLink.Hash);
        Assert.Equal(pulse.ChainInfoHash, decoded.ChainInfoHash);
        Assert.Equal(pulse.ProfileHashes[0].Sha256, decoded.ProfileHashes[0].Sha256);
        Assert.True(decoded.RotateTo!.Zip(pulse.RotateTo!).All(p => p.First.SameAs(p.Second)));

        byte[] expected = SHA512.HashData([.. PulseCodec.SignedBytes(pulse), .. pulse.Signatures[0].Signature, .. pulse.Signatures[1].Signature]);
        Assert.Equal(expected, PulseCodec.Randomness(pulse));
    }

    [Fact]
    public void Version_2_signed_bytes_start_with_the_version_1_header_then_chain_info_hash()
    {
        var pulse = s_chain[0];
        var signed = PulseCodec.SignedBytes(pulse);
        Assert.Equal("QRNG-PULSE"u8.ToArray(), signed[..10]);
        Assert.Equal(2, signed[10]);
        var afterTime = 10 + 1 + 2 + "appliance-7".Length + 8 + 32 + 8;
        Assert.Equal(ChainInfoCodec.Hash(HybridChainFactory.Info()), signed[afterTime..(afterTime + 32)]);
        // The tail: ... local_random(64) ‖ precommit(64) ‖ hour(8+32) ‖ day(8+32) ‖ rotation flag(1).
        Assert.Equal(0, signed[^1]);
        Assert.Equal(pulse.Precommit, signed[^(1 + 80 + 64)..^(1 + 80)]);
        Assert.Equal(pulse.LocalRandom, signed[^(1 + 80 + 128)..^(1 + 80 + 64)]);
    }

    public static TheoryData<string> Unsigned => [.. s_unsigned.Keys];

    private static readonly Dictionary<string, Func<Pulse, Pulse>> s_unsigned = new()
    {
        ["chain info hash"] = p => p with { ChainInfoHash = Flip(p.ChainInfoHash) },
        ["profile hash"] = p => p with { ProfileHashes = [p.ProfileHashes[0] with { Sha256 = Flip(p.ProfileHashes[0].Sha256) }] },
        ["profile removed"] = p => p with { ProfileHashes = [] },
        ["local random"] = p => p with { LocalRandom = Flip(p.LocalRandom) },
        ["precommit"] = p => p with { Precommit = Flip(p.Precommit) },
        ["hour link seq"] = p => p with { HourLink = p.HourLink with { Seq = p.HourLink.Seq + 1 } },
        ["day link hash"] = p => p with { DayLink = p.DayLink with { Hash = Flip(p.DayLink.Hash) } },
        ["rotation added"] = p => p with { RotateTo = [.. HybridChainFactory.NextSigners.Select(PulseKey.Of)] },
        ["root"] = p => p with { Root = Flip(p.Root) },
        ["time"] = p => p with { Time = p.Time.AddMilliseconds(1) },
        ["entropy credited"] = p => p with { EntropyBitsCredited = p.EntropyBitsCredited + 1 },
    };

    [Theory]
    [MemberData(nameof(Unsigned))]
    public void Tampering_with_a_signed_field_fails_the_signature_check_at_that_pulse(string field)
    {
        var chain = s_chain.ToList();
        chain[Tampered] = s_unsigned[field](chain[Tampered]);
        var failure = PulseChainVerifier.VerifyChain(chain, HybridChainFactory.Info()).Failure;
        Assert.NotNull(failure);
        Assert.Equal((chain[Tampered].Seq, "signature:ed25519"), (failure.Seq, failure.Check));
    }

    [Fact]
    public void Each_signature_is_required_on_its_own()
    {
        foreach (var (index, check) in new[] { (0, "signature:ed25519"), (1, "signature:ml-dsa-65") })
        {
            var chain = s_chain.ToList();
            var sigs = chain[Tampered].Signatures.ToList();
            var flipped = chain[Tampered] with { Signatures = [.. sigs.Select((s, i) => i == index ? s with { Signature = Flip(s.Signature) } : s)] };
            var missing = chain[Tampered] with { Signatures = [.. sigs.Where((_, i) => i != index)] };
            foreach (var bad in new[] { flipped, missing })
            {
                chain[Tampered] = bad;
                var failure = PulseChainVerifier.VerifyChain(chain, HybridChainFactory.Info()).Failure!;
                Assert.Equal((bad.Seq, check), (failure.Seq, failure.Check));
            }
        }
    }

    public static TheoryData<string, string> Resigned
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (name, (check, _)) in s_resigned)
            {
                data.Add(name, check);
            }

            return data;
        }
    }

    /// <summary>Tamperings re-signed with the real keys (a buggy or coerced signer): the structural checks catch them.</summary>
    private static readonly Dictionary<string, (string Check, Func<Pulse, Pulse> Tamper)> s_resigned = new()
    {
        ["seq skipped"] = ("seq", p => p with { Seq = p.Seq + 1 }),
        ["prev hash"] = ("prev-hash", p => p with { PrevPulseHash = Flip(p.PrevPulseHash) }),
        ["time backwards"] = ("time", p => p with { Time = p.Time.AddSeconds(-5) }),
        ["tree shrank"] = ("tree-size", p => p with { TreeSize = 1 }),
        ["local random"] = ("precommit", p => p with { LocalRandom = Flip(p.LocalRandom) }),
        ["hour link seq"] = ("hour-link", p => p with { HourLink = new PulseLink(p.Seq - 1, p.HourLink.Hash) }),
        ["hour link hash"] = ("hour-link", p => p with { HourLink = p.HourLink with { Hash = Flip(p.HourLink.Hash) } }),
        ["day link seq"] = ("day-link", p => p with { DayLink = new PulseLink(p.Seq - 3, p.DayLink.Hash) }),
        ["chain info hash"] = ("chain-info", p => p with { ChainInfoHash = Flip(p.ChainInfoHash) }),
        ["appliance id"] = ("appliance-id", p => p with { ApplianceId = "appliance-8" }),
        ["version 1"] = ("version", p => p with { Version = Pulse.V1 }),
        ["rotation to ed25519 only"] = ("rotation", p => p with { RotateTo = [PulseKey.Of(HybridChainFactory.NextEd25519)] }),
    };

    [Theory]
    [MemberData(nameof(Resigned))]
    public void Tampering_re_signed_with_the_real_keys_fails_the_named_check(string field, string check)
    {
        var chain = s_chain.ToList();
        chain[Tampered] = HybridChainFactory.Sign(s_resigned[field].Tamper(chain[Tampered]));
        var failure = PulseChainVerifier.VerifyChain(chain, HybridChainFactory.Info()).Failure;
        Assert.NotNull(failure);
        Assert.Equal((chain[Tampered].Seq, check), (failure.Seq, failure.Check));
    }

    [Fact]
    public void A_tampered_precommitment_fails_at_the_reveal_in_the_next_pulse()
    {
        // Re-sign the whole tail so every link holds: only the reveal of the changed commitment fails.
        var chain = s_chain.ToList();
        chain[Tampered] = HybridChainFactory.Sign(chain[Tampered] with { Precommit = Flip(chain[Tampered].Precommit) });
        chain[Tampered + 1] = HybridChainFactory.Sign(chain[Tampered + 1] with
        {
            PrevPulseHash = PulseCodec.Hash(chain[Tampered]),
            DayLink = new PulseLink(chain[Tampered].Seq, PulseCodec.Hash(chain[Tampered])),
            HourLink = new PulseLink(chain[Tampered].Seq, PulseCodec.Hash(chain[Tampered])),
        });
        var failure = PulseChainVerifier.VerifyChain(chain[..(Tampered + 2)], HybridChainFactory.Info()).Failure!;
        Assert.Equal((chain[Tampered + 1].Seq, "precommit"), (failure.Seq, failure.Check));
    }

    [Fact]
    public void The_genesis_pulse_may_not_reveal_or_link_and_nothing_precedes_it()
    {
        var info = HybridChainFactory.Info();
        Assert.True(PulseChainVerifier.VerifyChain(s_chain[..1], info).Ok);
        var failure = PulseChainVerifier.VerifyChain(s_chain, info with { GenesisSeq = info.GenesisSeq + 1 }).Failure!;
        Assert.Equal("chain-info", failure.Check); // the pulses pin the real chain info
        var linked = HybridChainFactory.Sign(s_chain[0] with { HourLink = new PulseLink(s_chain[0].Seq - 1, Flip(new byte[32])) });
        Assert.Equal("hour-link", PulseChainVerifier.VerifyChain([linked], info).Failure!.Check);
        var early = HybridChainFactory.Chain(2, info: info with { GenesisSeq = 9, GenesisTime = HybridChainFactory.Start.AddSeconds(1) });
        Assert.Equal("genesis", PulseChainVerifier.VerifyChain(early, info with { GenesisSeq = 9, GenesisTime = HybridChainFactory.Start.AddSeconds(1) }).Failure!.Check);
    }

    [Fact]
    public void A_run_that_starts_after_the_genesis_verifies_on_its_own()
    {
        var result = PulseChainVerifier.VerifyChain(s_chain[2..], HybridChainFactory.Info());
        Assert.True(result.Ok, result.Failure?.ToString());
    }

    [Fact]
    public void A_key_rotation_signed_by_the_old_keys_hands_over_to_the_new_keys()
    {
        var chain = HybridChainFactory.Chain(6, rotateAt: 2);
        var result = PulseChainVerifier.VerifyChain(chain, HybridChainFactory.Info());
        Assert.True(result.Ok, result.Failure?.ToString());
        Assert.Equal(1, result.Rotations);
        Assert.Equal(chain[2].ChainInfoHash, ChainInfoCodec.Hash(HybridChainFactory.Info()));
        Assert.NotEqual(chain[2].ChainInfoHash, chain[3].ChainInfoHash);

        // After the rotation the old keys no longer count…
        var oldSigned = chain.ToList();
        oldSigned[4] = HybridChainFactory.Sign(chain[4], HybridChainFactory.Signers);
        Assert.Equal((chain[4].Seq, "signature:ed25519"), Seq(PulseChainVerifier.VerifyChain(oldSigned, HybridChainFactory.Info())));

        // …and a rotation record signed by the new keys alone does not authorise them.
        var selfAuthorised = chain.ToList();
        selfAuthorised[2] = HybridChainFactory.Sign(chain[2], HybridChainFactory.NextSigners);
        Assert.Equal((chain[2].Seq, "signature:ed25519"), Seq(PulseChainVerifier.VerifyChain(selfAuthorised, HybridChainFactory.Info())));

        // With the keys only, the chain info hash may change at the rotation but not elsewhere.
        Assert.True(PulseChainVerifier.VerifyChain(chain, HybridChainFactory.Info().Keys).Ok);
        var plain = s_chain.ToList();
        plain[Tampered] = HybridChainFactory.Sign(plain[Tampered] with { ChainInfoHash = Flip(plain[Tampered].ChainInfoHash) });
        Assert.Equal((plain[Tampered].Seq, "chain-info"), Seq(PulseChainVerifier.VerifyChain(plain, HybridChainFactory.Info().Keys)));
    }

    [Fact]
    public void A_key_set_without_both_algorithms_is_refused()
    {
        var edOnly = HybridChainFactory.Info() with { Keys = [PulseKey.Of(HybridChainFactory.Ed25519)] };
        Assert.Equal("keys", PulseChainVerifier.VerifyChain(s_chain, edOnly).Failure!.Check);
        Assert.Throws<ArgumentException>(() => new PulseKeySet([PulseKey.Of(HybridChainFactory.MlDsa)]));
        Assert.Throws<ArgumentException>(() => new PulseKeySet([.. HybridChainFactory.Info().Keys, new PulseKey("rsa", new byte[32])]));
    }

    [Fact]
    public void Chain_info_round_trips_and_its_hash_covers_every_field()
    {
        var info = HybridChainFactory.Info();
        var encoded = ChainInfoCodec.Encode(info);
        Assert.Equal("QRNG-CHAININFO"u8.ToArray(), encoded[..14]);
        Assert.True(ChainInfoCodec.Decode(encoded).SameAs(info));
        var variants = new[]
        {
            info with { ApplianceId = "x" }, info with { PeriodMilliseconds = 999 }, info with { GenesisSeq = 6 },
            info with { GenesisTime = info.GenesisTime.AddMilliseconds(1) }, info with { Keys = [.. info.Keys.Reverse()] },
        };
        Assert.All(variants, v => Assert.NotEqual(ChainInfoCodec.Hash(info), ChainInfoCodec.Hash(v)));
        for (var length = 0; length < encoded.Length; length++)
        {
            Assert.Throws<FormatException>(() => ChainInfoCodec.Decode(encoded.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Binary_export_round_trips()
    {
        var export = PulseExport.Write(s_chain);
        var read = PulseExport.Read(export);
        Assert.Equal(s_chain.Select(PulseCodec.Encode), read.Select(PulseCodec.Encode));
        Assert.Throws<FormatException>(() => PulseExport.Read(export.AsSpan(0, export.Length - 1)));
    }

    private static (ulong, string) Seq(ChainVerification result) => (result.Failure!.Seq, result.Failure.Check);

    private static byte[] Flip(byte[] data)
    {
        var copy = data.ToArray();
        copy[^1] ^= 0x01;
        return copy;
    }
}
