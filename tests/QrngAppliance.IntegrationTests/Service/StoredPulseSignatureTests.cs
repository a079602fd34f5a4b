using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using QrngAppliance.Keys;
using QrngAppliance.Metrics;
using QrngAppliance.Pipeline;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Staking;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>
/// The appliance reads its own journal under the verifiers' strict signature rule: a last pulse whose signature
/// list was edited on disk (here a junk entry appended, which changes its published randomness) is never extended.
/// </summary>
public sealed class StoredPulseSignatureTests : IDisposable
{
    private readonly Devices.Tests.TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_journal_whose_last_pulse_carries_an_extra_signature_starts_a_new_chain_instead_of_extending_it()
    {
        var (first, infoBefore) = await EmitOnceAsync();
        var continued = await EmitOnceAsync();
        Assert.Equal(first.Seq + 1, continued.Pulse.Seq);
        Assert.Equal(infoBefore.GenesisSeq, continued.Info.GenesisSeq); // untouched journal: the same chain goes on

        var tampered = continued.Pulse with { Signatures = [.. continued.Pulse.Signatures, new PulseSignature("ed25519", continued.Pulse.Signatures[0].KeyId, new byte[8])] };
        await using (var db = new SqliteConnection($"Data Source={_dir.File("qrng.db")};Pooling=false"))
        {
            await db.OpenAsync();
            await using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE pulses SET encoded = $e WHERE seq = $s";
            cmd.Parameters.AddWithValue("$e", PulseCodec.Encode(tampered));
            cmd.Parameters.AddWithValue("$s", (long)tampered.Seq);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        var after = await EmitOnceAsync();
        Assert.Equal(tampered.Seq + 1, after.Info.GenesisSeq); // a new chain info whose genesis follows the bad pulse
        Assert.True(after.Pulse.HourLink.IsSelf(after.Pulse.Seq));
    }

    [Fact]
    public async Task An_attestation_registers_only_with_the_pulse_s_own_canonical_signature_list()
    {
        var (pulse, info) = await EmitOnceAsync();
        var verify = PulseAttestation.Verifier(info.Keys);
        var genuine = PulseAttestation.From(pulse);
        Assert.True(verify(genuine).IsValid, verify(genuine).Reason);

        var reorderedCopy = genuine with { Signatures = [genuine.Signatures[1], genuine.Signatures[0]] };
        Assert.Contains("not the attested pulse's own signature list", verify(reorderedCopy).Reason);

        var padded = pulse with { Signatures = [.. pulse.Signatures, pulse.Signatures[0]] };
        var paddedAttestation = PulseAttestation.From(padded);
        Assert.Contains("signature-set", verify(paddedAttestation).Reason);
        var reordered = PulseAttestation.From(pulse with { Signatures = [pulse.Signatures[1], pulse.Signatures[0]] });
        Assert.Contains("signature:ed25519", verify(reordered).Reason);
    }

    private async Task<(Pulse Pulse, ChainInfo Info)> EmitOnceAsync()
    {
        using var metrics = new ApplianceMetrics();
        await using var journal = await SqliteJournal.OpenAsync(_dir.File("qrng.db"));
        var pool = await AttestedPool.LoadAsync(journal, metrics, 64, CancellationToken.None);
        var chain = await PulseChain.LoadAsync(
            journal, pool, new SourceRegistry(),
            [SigningKeyStore.LoadOrCreateEd25519(_dir.Path), SigningKeyStore.LoadOrCreateMlDsa65(_dir.Path)],
            new PulseChainSettings("test", TimeSpan.FromSeconds(1), _dir.Path, SigningKeyStore.LoadOrCreateLocalRandomKey(_dir.Path), []),
            TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        var pulse = await chain.EmitAsync(CancellationToken.None);
        return (pulse, chain.ChainInfo);
    }
}
