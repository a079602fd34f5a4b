using System.Numerics;
using System.Security.Cryptography;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Proofs.Tests.Pulses;

/// <summary>
/// An attacker without the keys tries to change a pulse's published randomness by editing its signature list:
/// reordering, duplicating, dropping, appending junk, swapping schemes, padding or re-encoding a signature. The
/// randomness hashes the list, so every such list must fail verification, with a named check.
/// </summary>
public sealed class SignatureSetTests
{
    private const int Target = 2;

    private static readonly List<Pulse> s_chain = HybridChainFactory.Chain(4);

    private static readonly string[] s_setChecks = ["signature:ed25519", "signature:ml-dsa-65", "signature-set"];

    public static TheoryData<string> Mutations => [.. MutationsOf(s_chain[Target]).Keys];

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_mutated_signature_list_fails_with_a_named_check(string mutation)
    {
        var mutated = s_chain[Target] with { Signatures = MutationsOf(s_chain[Target])[mutation] };
        var failure = Verify(mutated);
        Assert.NotNull(failure);
        Assert.Equal(mutated.Seq, failure.Seq);
        Assert.Contains(failure.Check, s_setChecks);
    }

    [Fact]
    public void Grinding_the_randomness_by_appending_junk_entries_never_yields_a_verifying_pulse()
    {
        // The attack found on the old verifier: append one 8-byte junk entry and grind it until the randomness
        // starts with a chosen prefix. Here every candidate must be refused, whatever its randomness.
        var original = s_chain[Target];
        var originalRandomness = PulseCodec.Randomness(original);
        var distinct = new HashSet<string>();
        for (var i = 0; i < 2000; i++)
        {
            var junk = new PulseSignature(i % 2 == 0 ? "ed25519" : "junk", RandomNumberGenerator.GetBytes(8), RandomNumberGenerator.GetBytes(8));
            var candidate = original with { Signatures = [.. original.Signatures, junk] };
            distinct.Add(Convert.ToHexStringLower(PulseCodec.Randomness(candidate)));
            var failure = Verify(candidate);
            Assert.NotNull(failure);
            Assert.Equal("signature-set", failure.Check);
        }

        Assert.Equal(2000, distinct.Count); // the grinding really did move the randomness; only verification stops it
        Assert.DoesNotContain(Convert.ToHexStringLower(originalRandomness), distinct);
    }

    [Fact]
    public void Every_list_that_verifies_gives_the_same_randomness()
    {
        var original = s_chain[Target];
        var expected = PulseCodec.Randomness(original);
        var verifying = MutationsOf(original).Values
            .Select(list => original with { Signatures = list })
            .Append(original with { Signatures = [.. original.Signatures] })
            .Where(p => Verify(p) is null)
            .ToList();
        Assert.Single(verifying);
        Assert.Equal(expected, PulseCodec.Randomness(verifying[0]));
    }

    [Fact]
    public void No_single_byte_change_of_either_signature_verifies()
    {
        var original = s_chain[Target];
        var positions = new Dictionary<int, int[]>
        {
            [0] = [.. Enumerable.Range(0, 64)],
            [1] = [.. Enumerable.Range(0, 3309).Where(i => i % 13 == 0 || i >= 3309 - 61)], // every 13th, and the whole hint block
        };
        foreach (var (index, offsets) in positions)
        {
            foreach (var offset in offsets)
            {
                var list = original.Signatures.ToList();
                var bytes = list[index].Signature.ToArray();
                bytes[offset] ^= 0x01;
                list[index] = list[index] with { Signature = bytes };
                Assert.NotNull(Verify(original with { Signatures = list }));
            }
        }
    }

    [Fact]
    public void An_ed25519_signature_with_s_plus_the_group_order_is_refused()
    {
        // RFC 8032 §5.1.7 requires S < L; without that check (S + L, R) is a second valid signature and a free
        // change of the randomness.
        var original = s_chain[Target];
        var sig = original.Signatures[0].Signature;
        var l = BigInteger.Parse("7237005577332262213973186563042994240857116359379907606001950938285454250989");
        var s = new BigInteger(sig.AsSpan(32, 32), isUnsigned: true, isBigEndian: false) + l;
        var malleated = sig[..32].Concat(PadTo32(s.ToByteArray(isUnsigned: true, isBigEndian: false))).ToArray();
        var list = original.Signatures.ToList();
        list[0] = list[0] with { Signature = malleated };
        Assert.Equal("signature:ed25519", Verify(original with { Signatures = list })!.Check);
    }

    [Fact]
    public void A_key_set_naming_one_key_twice_is_refused()
    {
        var keys = HybridChainFactory.Info().Keys;
        Assert.Throws<ArgumentException>(() => new PulseKeySet([keys[0], keys[0], keys[1]]));
    }

    private static ChainCheckFailure? Verify(Pulse pulse)
    {
        var chain = s_chain.ToList();
        chain[Target] = pulse;
        return PulseChainVerifier.VerifyChain(chain, HybridChainFactory.Info()).Failure;
    }

    private static byte[] PadTo32(byte[] little) => [.. little, .. new byte[32 - little.Length]];

    private static Dictionary<string, IReadOnlyList<PulseSignature>> MutationsOf(Pulse pulse)
    {
        var ed = pulse.Signatures[0];
        var ml = pulse.Signatures[1];
        var unknown = new PulseSignature("sphincs+", ed.KeyId, ed.Signature);
        return new()
        {
            ["reordered"] = [ml, ed],
            ["ed25519 duplicated first"] = [ed, ed, ml],
            ["ed25519 duplicated last"] = [ed, ml, ed],
            ["ml-dsa duplicated"] = [ed, ml, ml],
            ["ed25519 dropped"] = [ml],
            ["ml-dsa dropped"] = [ed],
            ["empty"] = [],
            ["junk appended"] = [ed, ml, new PulseSignature("ed25519", ed.KeyId, new byte[8])],
            ["junk prepended"] = [new PulseSignature("ed25519", ed.KeyId, new byte[8]), ed, ml],
            ["junk between"] = [ed, new PulseSignature("x", [], []), ml],
            ["unknown scheme appended"] = [ed, ml, unknown],
            ["unknown scheme in place of ed25519"] = [unknown, ml],
            ["ed25519 under the ml-dsa key id"] = [ed with { KeyId = ml.KeyId }, ml],
            ["ed25519 under another key id"] = [ed with { KeyId = RandomNumberGenerator.GetBytes(32) }, ml],
            ["ed25519 with a trailing byte"] = [ed with { Signature = [.. ed.Signature, 0] }, ml],
            ["ml-dsa with a trailing byte"] = [ed, ml with { Signature = [.. ml.Signature, 0] }],
            ["ml-dsa truncated"] = [ed, ml with { Signature = ml.Signature[..^1] }],
            ["ed25519 labelled ml-dsa"] = [ed with { Algorithm = "ml-dsa-65" }, ml],
        };
    }
}
