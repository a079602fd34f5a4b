using System.Text.Json;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>Every case of the NIST ACVP keyGen, sigGen and sigVer subsets (ACVP-Server v1.1.0.43).</summary>
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
        Assert.NotEqual("preHash", c.TryGetProperty("preHash", out JsonElement pre) ? pre.GetString() : "pure");

        byte[] signature = c.Str("signatureInterface") switch
        {
            "external" => scheme.Sign(sk, c.Hex("message"), c.Hex("context"), rnd),
            "internal" when c.Flag("externalMu") => scheme.SignInternalWithMu(sk, c.Hex("mu"), rnd),
            "internal" => scheme.SignInternal(sk, c.Hex("message"), rnd),
            string other => throw new InvalidDataException($"unknown signatureInterface '{other}'"),
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
        byte[] message = c.Hex("message");
        byte[] signature = c.Hex("signature");

        bool verified = c.Str("signatureInterface") switch
        {
            "external" => scheme.Verify(pk, message, c.Hex("context"), signature),
            "internal" => scheme.VerifyInternal(pk, message, signature),
            string other => throw new InvalidDataException($"unknown signatureInterface '{other}'"),
        };

        Assert.True(c.GetProperty("testPassed").GetBoolean() == verified, $"{id} ({c.Str("reason")}): expected {c.GetProperty("testPassed").GetBoolean()}, got {verified}");
    }

    [Fact]
    public void Vector_files_hold_the_documented_case_counts()
    {
        // README: 5 keyGen, 10 sigGen and 12 sigVer cases per parameter set; a truncated copy must not pass silently.
        Assert.Equal(15, MlDsaVectors.Cases("keygen.json").Length);
        Assert.Equal(30, MlDsaVectors.Cases("siggen.json").Length);
        Assert.Equal(36, MlDsaVectors.Cases("sigver.json").Length);
    }

    private static MlDsaScheme SchemeOf(JsonElement c) => MlDsaScheme.For(MlDsaParameters.FromName(c.Str("parameterSet")));
}
