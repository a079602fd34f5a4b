using System.Text.Json;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>
/// Every case of the NIST ACVP keyGen, sigGen and sigVer subsets (ACVP-Server v1.1.0.43), which hold cases
/// from every upstream group: pure, HashML-DSA, internal and external-μ, deterministic and hedged.
/// </summary>
public sealed class MlDsaAcvpTests
{
    public static TheoryData<string> KeyGenCases => MlDsaVectors.Ids("keygen.json");

    public static TheoryData<string> SigGenCases => MlDsaVectors.Ids("siggen.json");

    public static TheoryData<string> SigVerCases => MlDsaVectors.Ids("sigver.json");

    [Theory]
    [MemberData(nameof(KeyGenCases))]
    public void KeyGen_reproduces_the_acvp_keys(string id)
    {
        JsonElement c = MlDsaVectors.Find("keygen.json", id);
        MlDsaScheme scheme = SchemeOf(c);

        MlDsaKeyPair keys = scheme.GenerateKeyPair(c.Hex("seed"));

        Assert.Equal(Convert.ToHexString(c.Hex("pk")), Convert.ToHexString(keys.PublicKey));
        Assert.Equal(Convert.ToHexString(c.Hex("sk")), Convert.ToHexString(keys.SecretKey));
    }

    [Theory]
    [MemberData(nameof(SigGenCases))]
    public void SigGen_reproduces_the_acvp_signature(string id)
    {
        JsonElement c = MlDsaVectors.Find("siggen.json", id);
        MlDsaScheme scheme = SchemeOf(c);
        byte[] sk = c.Hex("sk");
        byte[] rnd = c.Flag("deterministic") ? new byte[32] : c.Hex("rnd");

        byte[] signature = AcvpMode.Of(c) switch
        {
            AcvpMode.Pure => scheme.Sign(sk, c.Hex("message"), c.Hex("context"), rnd),
            AcvpMode.PreHash => scheme.SignPreHash(sk, c.Hex("message"), c.Hex("context"), AcvpMode.PreHashOf(c), rnd),
            AcvpMode.Internal => scheme.SignInternal(sk, c.Hex("message"), rnd),
            AcvpMode.ExternalMu => scheme.SignExternalMu(sk, c.Hex("mu"), rnd),
            string other => throw new InvalidDataException($"{id}: no signing mode for '{other}'"),
        };

        Assert.Equal(Convert.ToHexString(c.Hex("signature")), Convert.ToHexString(signature));
    }

    [Theory]
    [MemberData(nameof(SigVerCases))]
    public void SigVer_gives_the_acvp_verdict(string id)
    {
        JsonElement c = MlDsaVectors.Find("sigver.json", id);
        MlDsaScheme scheme = SchemeOf(c);
        byte[] pk = c.Hex("pk");
        byte[] signature = c.Hex("signature");

        bool verified = AcvpMode.Of(c) switch
        {
            AcvpMode.Pure => scheme.Verify(pk, c.Hex("message"), c.Hex("context"), signature),
            AcvpMode.PreHash => scheme.VerifyPreHash(pk, c.Hex("message"), c.Hex("context"), AcvpMode.PreHashOf(c), signature),
            AcvpMode.Internal => scheme.VerifyInternal(pk, c.Hex("message"), signature),
            AcvpMode.ExternalMu => scheme.VerifyExternalMu(pk, c.Hex("mu"), signature),
            string other => throw new InvalidDataException($"{id}: no verification mode for '{other}'"),
        };

        Assert.True(c.GetProperty("testPassed").GetBoolean() == verified, $"{id} ({c.Str("reason")}): expected {c.GetProperty("testPassed").GetBoolean()}, got {verified}");
    }

    [Fact]
    public void Vector_files_hold_the_documented_case_counts()
    {
        // README: a truncated copy or a dropped theory source must not pass silently.
        Assert.Equal(15, MlDsaVectors.Cases("keygen.json").Length);
        Assert.Equal(54, MlDsaVectors.Cases("siggen.json").Length);
        Assert.Equal(60, MlDsaVectors.Cases("sigver.json").Length);
        Assert.Equal(15, KeyGenCases.Count);
        Assert.Equal(54, SigGenCases.Count);
        Assert.Equal(60, SigVerCases.Count);
    }

    [Fact]
    public void Every_upstream_acvp_group_has_cases_here()
    {
        // v1.1.0.43 has keyGen groups 1–3, sigGen 1–24 and sigVer 1–12 (README); each one must be exercised.
        Assert.Equal(Enumerable.Range(1, 3), GroupIds("keygen.json"));
        Assert.Equal(Enumerable.Range(1, 24), GroupIds("siggen.json"));
        Assert.Equal(Enumerable.Range(1, 12), GroupIds("sigver.json"));
    }

    [Fact]
    public void Every_fips204_mode_is_covered_with_both_verdicts()
    {
        Assert.Equal(
            new Dictionary<string, int> { [AcvpMode.Pure] = 21, [AcvpMode.PreHash] = 18, [AcvpMode.Internal] = 9, [AcvpMode.ExternalMu] = 6 },
            ModeCounts("siggen.json", _ => true));
        Assert.Equal(
            new Dictionary<string, int> { [AcvpMode.Pure] = 30, [AcvpMode.PreHash] = 12, [AcvpMode.Internal] = 6, [AcvpMode.ExternalMu] = 12 },
            ModeCounts("sigver.json", _ => true));

        // A verifier that answered "false" to everything would pass the invalid cases: each mode has valid ones too.
        Assert.Equal(4, ModeCounts("sigver.json", c => c.GetProperty("testPassed").GetBoolean()).Count);
        Assert.Equal(4, ModeCounts("sigver.json", c => !c.GetProperty("testPassed").GetBoolean()).Count);

        // Deterministic and hedged signing appear in every mode.
        foreach (bool deterministic in (bool[])[true, false])
        {
            Assert.Equal(4, ModeCounts("siggen.json", c => c.Flag("deterministic") == deterministic).Count);
        }

        // HashML-DSA: all twelve pre-hash functions of FIPS 204 §5.4 are signed with.
        Assert.Equal(
            Enum.GetValues<MlDsaPreHash>().Order(),
            MlDsaVectors.Cases("siggen.json").Where(c => AcvpMode.Of(c) == AcvpMode.PreHash).Select(AcvpMode.PreHashOf).Distinct().Order());
    }

    private static int[] GroupIds(string file) =>
        [.. MlDsaVectors.Cases(file).Select(c => c.GetProperty("tgId").GetInt32()).Distinct().Order()];

    private static Dictionary<string, int> ModeCounts(string file, Func<JsonElement, bool> where) =>
        MlDsaVectors.Cases(file).Where(where).GroupBy(AcvpMode.Of).ToDictionary(g => g.Key, g => g.Count());

    private static MlDsaScheme SchemeOf(JsonElement c) => MlDsaScheme.For(MlDsaParameters.FromName(c.Str("parameterSet")));
}
