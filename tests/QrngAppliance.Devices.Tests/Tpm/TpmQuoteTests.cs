using System.Security.Cryptography;
using System.Text;
using QrngAppliance.Devices.Tpm;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>
/// TPM2_Quote by our driver with an attestation key made by tpm2-tools (DEVICES §2.4), verified in .NET and
/// cross-checked with tpm2_checkquote. swtpm serves one client at a time, so our connection and the tools
/// never overlap.
/// </summary>
public sealed class TpmQuoteTests
{
    private const uint AkHandle = 0x8101_0002;

    [Theory]
    [InlineData("ecc", "ecdsa")]
    [InlineData("rsa", "rsassa")]
    public async Task Quote_over_an_extended_PCR_verifies_in_dotnet_and_with_tpm2_checkquote(string keyType, string scheme)
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await swtpm.RunTpm2CheckedAsync("tpm2_createek", "-c", "ek.ctx", "-G", "ecc", "-u", "ek.pub");
        await swtpm.RunTpm2CheckedAsync("tpm2_createak", "-C", "ek.ctx", "-c", "ak.ctx", "-G", keyType, "-g", "sha256",
            "-s", scheme, "-u", "ak.pub", "-f", "pem", "-n", "ak.name", "-r", "ak.priv");
        await swtpm.RunTpm2CheckedAsync("tpm2_flushcontext", "-t");
        await swtpm.RunTpm2CheckedAsync("tpm2_flushcontext", "-s");
        await swtpm.RunTpm2CheckedAsync("tpm2_evictcontrol", "-C", "o", "-c", "ak.ctx", $"0x{AkHandle:x8}");

        byte[] batchDigest = SHA256.HashData(Encoding.ASCII.GetBytes("batch"));
        var selection = new TpmPcrSelection(TpmAlgorithm.Sha256, [16, 0]);
        IReadOnlyList<byte[]> pcrs;
        TpmQuote quote;
        byte[] nonce;
        TpmPublicKey akPublic;
        await using (var client = new TpmClient(await swtpm.ConnectAsync()))
        {
            await client.PcrExtendAsync(16, TpmAlgorithm.Sha256, batchDigest, CancellationToken.None);
            pcrs = await client.PcrReadAsync(selection, CancellationToken.None);
            nonce = new byte[16];
            await client.GetRandomAsync(nonce, CancellationToken.None);
            quote = await client.QuoteAsync(AkHandle, nonce, selection, CancellationToken.None);
            akPublic = await client.ReadPublicAsync(AkHandle, CancellationToken.None);
        }

        // PCR16 starts at zero after startup-clear: extend gives SHA-256(0^32 ‖ digest).
        Assert.Equal(new byte[32], pcrs[0]);
        Assert.Equal(SHA256.HashData([.. new byte[32], .. batchDigest]), pcrs[1]);

        var attestation = quote.Attestation;
        Assert.Equal(nonce, attestation.ExtraData);
        Assert.Equal(File.ReadAllBytes(Path.Combine(swtpm.Directory, "ak.name")), akPublic.Name);
        Assert.Equal(akPublic.QualifiedName, attestation.QualifiedSigner);
        Assert.Equal("sha256:0,16", Assert.Single(attestation.PcrSelections).ToString());
        Assert.Equal(TpmQuote.ComputePcrDigest(TpmAlgorithm.Sha256, pcrs), attestation.PcrDigest);
        Assert.Equal(keyType == "ecc" ? TpmAlgorithm.EcDsa : TpmAlgorithm.RsaSsa, quote.Signature.Algorithm);
        Assert.Equal(TpmAlgorithm.Sha256, quote.Signature.Hash);

        string akPem = File.ReadAllText(Path.Combine(swtpm.Directory, "ak.pub"));
        byte[] tampered = (byte[])quote.Attest.Clone();
        tampered[^1] ^= 1;
        var tamperedQuote = TpmQuote.FromBytes(tampered, quote.SignatureBytes);
        if (keyType == "ecc")
        {
            using var ak = ECDsa.Create();
            ak.ImportFromPem(akPem);
            using var akFromTpm = akPublic.CreateEcdsa();
            Assert.Equal(ak.ExportSubjectPublicKeyInfo(), akFromTpm.ExportSubjectPublicKeyInfo());
            Assert.True(quote.VerifySignature(ak));
            Assert.True(quote.VerifySignature(akFromTpm));
            Assert.False(tamperedQuote.VerifySignature(ak));
        }
        else
        {
            using var ak = RSA.Create();
            ak.ImportFromPem(akPem);
            using var akFromTpm = akPublic.CreateRsa();
            Assert.Equal(ak.ExportSubjectPublicKeyInfo(), akFromTpm.ExportSubjectPublicKeyInfo());
            Assert.True(quote.VerifySignature(ak));
            Assert.True(quote.VerifySignature(akFromTpm));
            Assert.False(tamperedQuote.VerifySignature(ak));
        }

        // tpm2_checkquote: the message is the TPMS_ATTEST, the signature the TPMT_SIGNATURE as the TPM sent it,
        // and the PCR file the raw values (tpm2_pcrread's format) interpreted by -l.
        await File.WriteAllBytesAsync(Path.Combine(swtpm.Directory, "quote.msg"), quote.Attest);
        await File.WriteAllBytesAsync(Path.Combine(swtpm.Directory, "quote.sig"), quote.SignatureBytes);
        await File.WriteAllBytesAsync(Path.Combine(swtpm.Directory, "quote.pcrs"), pcrs.SelectMany(p => p).ToArray());
        string[] check = ["-u", "ak.pub", "-m", "quote.msg", "-s", "quote.sig", "-f", "quote.pcrs", "-l", selection.ToString(), "-g", "sha256"];
        await swtpm.RunTpm2CheckedAsync("tpm2_checkquote", [.. check, "-q", Convert.ToHexString(nonce)]);

        byte[] wrongNonce = (byte[])nonce.Clone();
        wrongNonce[0] ^= 0xFF;
        var rejected = await swtpm.RunTpm2Async("tpm2_checkquote", [.. check, "-q", Convert.ToHexString(wrongNonce)]);
        Assert.NotEqual(0, rejected.ExitCode);
    }

    [Fact]
    public void Parsing_rejects_an_attestation_without_TPM_GENERATED_VALUE()
    {
        byte[] attest = Convert.FromHexString("FF5443478018" + "0000" + "0000" + "0000000000000000" + "00000000" + "00000000" + "01"
            + "0000000000000000" + "00000000" + "0000");
        Assert.NotNull(TpmAttestation.Parse(attest));

        attest[0] = 0xFE;
        var e = Assert.Throws<TpmException>(() => TpmAttestation.Parse(attest));
        Assert.Contains("not TPM_GENERATED_VALUE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_r_and_s_are_left_padded_to_the_field_size()
    {
        var signature = TpmSignature.Parse(Convert.FromHexString("0018000B" + "0002ABCD" + "0001EF"));

        Assert.Equal("000000ABCD" + "00000000EF", Convert.ToHexString(signature.ToIeeeP1363(5)));
    }
}
