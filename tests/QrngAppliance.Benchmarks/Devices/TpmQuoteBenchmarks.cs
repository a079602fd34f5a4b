extern alias qrng;

using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.HwSim.Tpm;
using TpmPulseQuoter = qrng::QrngAppliance.Pipeline.TpmPulseQuoter;
using TpmQuoteOptions = qrng::QrngAppliance.Configuration.TpmQuoteOptions;

namespace QrngAppliance.Benchmarks.Devices;

/// <summary>
/// What a TPM-quoted pulse costs on swtpm: <see cref="TpmPulseQuoter.QuoteAsync"/> as the pulse chain calls it
/// (TPM2_PCR_Read of the default 8 boot PCRs, TPM2_Quote with the persisted AK, and the appliance's own check of
/// the quote), for an ECC P-256 and an RSA-2048 AK. Baseline: the TPM2_PCR_Read alone (one round trip). One
/// swtpm per AK type (one client each). swtpm's CPU is not in the allocation column, but it is in the time.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*TpmQuote*' --inProcess
/// </summary>
[MemoryDiagnoser]
public class TpmQuoteBenchmarks
{
    private readonly List<(SwtpmProcess Swtpm, TpmConnection Connection)> _tpms = [];
    private readonly byte[] _pulseHash = SHA256.HashData("pulse signed bytes"u8);
    private TpmPulseQuoter _ecc = null!;
    private TpmPulseQuoter _rsa = null!;
    private TpmClient _eccClient = null!;
    private TpmPcrSelection _selection = null!;

    // Synchronous: BenchmarkDotNet's in-process toolchain (--inProcess) does not await an async GlobalSetup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var options = new TpmQuoteOptions();
        _selection = options.PcrSelection;
        var ecc = await StartAsync();
        _ecc = await TpmPulseQuoter.CreateAsync(ecc, options, CancellationToken.None);
        _eccClient = await ecc.GetClientAsync(CancellationToken.None);
        _rsa = await TpmPulseQuoter.CreateAsync(await StartAsync(), new TpmQuoteOptions { AkType = "rsa" }, CancellationToken.None);
    }

    [Benchmark]
    public Task QuotePulse_Ecc_P256() => _ecc.QuoteAsync(_pulseHash, CancellationToken.None);

    [Benchmark]
    public Task QuotePulse_Rsa_2048() => _rsa.QuoteAsync(_pulseHash, CancellationToken.None);

    [Benchmark(Baseline = true)]
    public Task PcrRead_8() => _eccClient.PcrReadAsync(_selection, CancellationToken.None);

    private async Task CleanupAsync()
    {
        foreach (var (swtpm, connection) in _tpms)
        {
            await connection.DisposeAsync();
            await swtpm.DisposeAsync();
            Directory.Delete(swtpm.StateDirectory, recursive: true);
        }
    }

    private async Task<TpmConnection> StartAsync()
    {
        var swtpm = await SwtpmProcess.StartAsync(Directory.CreateTempSubdirectory("qrng-bench-swtpm-").FullName);
        var connection = new TpmConnection(async ct => await TcpTpmTransport.ConnectAsync("127.0.0.1", swtpm.Port, ct), swtpm.Endpoint);
        _tpms.Add((swtpm, connection));
        return connection;
    }
}
