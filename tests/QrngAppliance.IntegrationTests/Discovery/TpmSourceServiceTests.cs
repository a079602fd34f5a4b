using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Configuration;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Discovery;

public sealed class TpmSourceServiceTests
{
    [Fact]
    public async Task Appliance_reads_a_swtpm_source_until_the_tpm_dies_then_reports_it_disconnected()
    {
        Assert.True(SwtpmProcess.FindBinary() is not null, "swtpm is not installed: run scripts/install-test-deps.sh");
        using var dir = new Devices.Tests.TempDirectory();
        var swtpm = await SwtpmProcess.StartAsync(dir.File("tpm"));
        try
        {
            var options = new ApplianceOptions
            {
                DataDir = dir.File("data"),
                PulsePeriodSeconds = 0.2,
                PoolCapacity = 1_000_000,
                Sources = [new SourceOptions { Id = "tpm0", Profile = "tpm2", Path = swtpm.Endpoint }],
            };
            var resolver = DeviceSourceResolver.Load(null);
            await using var app = await ApplianceHost.BuildAsync(options, s => resolver.Resolve(s, 0), ["http://127.0.0.1:0"]);
            await app.StartAsync();
            var status = app.Services.GetRequiredService<SourceRegistry>().Find("tpm0")!;
            await WaitForAsync(() => status.State == SourceState.Healthy && status.WindowsReleased > 0, "tpm0 healthy");

            await swtpm.DisposeAsync();
            await WaitForAsync(() => status.State == SourceState.Disconnected, "tpm0 disconnected");
            Assert.Contains("TPM", status.LastError);
            await app.StopAsync();
        }
        finally
        {
            await swtpm.DisposeAsync();
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
