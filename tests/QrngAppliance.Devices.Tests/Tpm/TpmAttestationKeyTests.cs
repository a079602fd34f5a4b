using System.Security.Cryptography;
using QrngAppliance.Devices.Tpm;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>
/// The attestation key made by our driver (TPM2_CreatePrimary under the endorsement hierarchy, TPM2_EvictControl,
/// TPM2_FlushContext) on a real swtpm, cross-checked with tpm2-tools.
/// </summary>
public sealed class TpmAttestationKeyTests
{
    private const uint AkHandle = 0x8101_8000;

    [Theory]
    [InlineData(TpmAlgorithm.Ecc, TpmAlgorithm.EcDsa)]
    [InlineData(TpmAlgorithm.Rsa, TpmAlgorithm.RsaSsa)]
    public async Task A_new_AK_is_persisted_and_its_quotes_pass_tpm2_checkquote(TpmAlgorithm type, TpmAlgorithm scheme)
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        var selection = new TpmPcrSelection(TpmAlgorithm.Sha256, [0, 16]);
        byte[] nonce = SHA256.HashData("pulse signed bytes"u8);
        TpmAttestationKey ak;
        TpmPublicKey readBack;
        TpmQuote quote;
        IReadOnlyList<byte[]> pcrs;
        await using (var client = new TpmClient(await swtpm.ConnectAsync()))
        {
            ak = await TpmAttestationKey.EnsurePersistentAsync(client, AkHandle, type, CancellationToken.None);
            readBack = await client.ReadPublicAsync(AkHandle, CancellationToken.None);
            pcrs = await client.PcrReadAsync(selection, CancellationToken.None);
            quote = await client.QuoteAsync(AkHandle, nonce, selection, CancellationToken.None);
        }

        Assert.True(ak.Created);
        Assert.Equal(type, ak.Public.Type);
        Assert.Equal(TpmAttestationKeyTemplate.AkAttributes, ak.Public.ObjectAttributes);
        Assert.Equal(readBack.PublicArea, ak.Public.PublicArea);
        Assert.Equal(readBack.Name, ak.Public.Name);
        // Our computed Qualified Name of an endorsement primary is the one the TPM reports and signs into quotes.
        Assert.Equal(readBack.QualifiedName, ak.Public.QualifiedName);
        Assert.Equal(ak.Public.QualifiedName, quote.Attestation.QualifiedSigner);
        Assert.Equal(scheme, quote.Signature.Algorithm);

        // tpm2-tools sees the key persisted at the handle, with the Name we computed.
        var persistent = await swtpm.RunTpm2CheckedAsync("tpm2_getcap", "handles-persistent");
        Assert.Contains($"0x{AkHandle:X8}", persistent.StdOut, StringComparison.OrdinalIgnoreCase);
        var readPublic = await swtpm.RunTpm2CheckedAsync("tpm2_readpublic", "-c", $"0x{AkHandle:x8}");
        Assert.Contains("name: " + Convert.ToHexStringLower(ak.Public.Name), readPublic.StdOut, StringComparison.Ordinal);
        // The transient copy was flushed: nothing is left in the TPM's object slots.
        var transient = await swtpm.RunTpm2CheckedAsync("tpm2_getcap", "handles-transient");
        Assert.DoesNotContain("0x80", transient.StdOut, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(swtpm.Directory, "ak.pem"),
            PemEncoding.WriteString("PUBLIC KEY", ak.Public.ExportSubjectPublicKeyInfo()));
        await File.WriteAllBytesAsync(Path.Combine(swtpm.Directory, "quote.msg"), quote.Attest);
        await File.WriteAllBytesAsync(Path.Combine(swtpm.Directory, "quote.sig"), quote.SignatureBytes);
        await File.WriteAllBytesAsync(Path.Combine(swtpm.Directory, "quote.pcrs"), pcrs.SelectMany(p => p).ToArray());
        await swtpm.RunTpm2CheckedAsync("tpm2_checkquote", "-u", "ak.pem", "-m", "quote.msg", "-s", "quote.sig", "-f", "quote.pcrs",
            "-l", selection.ToString(), "-g", "sha256", "-q", Convert.ToHexString(nonce));
    }

    [Fact]
    public async Task A_second_start_reuses_the_persisted_AK()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var client = new TpmClient(await swtpm.ConnectAsync());

        var first = await TpmAttestationKey.EnsurePersistentAsync(client, AkHandle, TpmAlgorithm.Ecc, CancellationToken.None);
        var second = await TpmAttestationKey.EnsurePersistentAsync(client, AkHandle, TpmAlgorithm.Ecc, CancellationToken.None);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Public.PublicArea, second.Public.PublicArea);
    }

    [Fact]
    public async Task A_handle_holding_another_key_is_refused_and_left_alone()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        byte[] rsaName;
        await using (var client = new TpmClient(await swtpm.ConnectAsync()))
        {
            rsaName = (await TpmAttestationKey.EnsurePersistentAsync(client, AkHandle, TpmAlgorithm.Rsa, CancellationToken.None)).Public.Name;

            var e = await Assert.ThrowsAsync<TpmException>(
                () => TpmAttestationKey.EnsurePersistentAsync(client, AkHandle, TpmAlgorithm.Ecc, CancellationToken.None));

            Assert.Contains($"persistent handle 0x{AkHandle:X8} holds another key", e.Message, StringComparison.Ordinal);
            Assert.Contains("tpm2_evictcontrol", e.Message, StringComparison.Ordinal);
            Assert.Equal(rsaName, (await client.ReadPublicAsync(AkHandle, CancellationToken.None)).Name);

            // EvictControl on the persistent handle itself frees it; the ECC AK then takes the handle.
            await client.EvictControlAsync(AkHandle, AkHandle, CancellationToken.None);
            Assert.True((await TpmAttestationKey.EnsurePersistentAsync(client, AkHandle, TpmAlgorithm.Ecc, CancellationToken.None)).Created);
        }

        var transient = await swtpm.RunTpm2CheckedAsync("tpm2_getcap", "handles-transient");
        Assert.DoesNotContain("0x80", transient.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPublic_of_a_free_persistent_handle_is_TPM_RC_HANDLE()
    {
        await using var swtpm = await SwtpmProcess.StartAsync();
        await using var client = new TpmClient(await swtpm.ConnectAsync());

        var e = await Assert.ThrowsAsync<TpmException>(() => client.ReadPublicAsync(AkHandle, CancellationToken.None));

        Assert.True(TpmResponseCode.IsHandleError(e.ResponseCode!.Value), e.Message);
    }
}
