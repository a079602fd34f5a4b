using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.IntegrationTests.Metrics;
using QrngAppliance.IntegrationTests.Support;
using QrngAppliance.IntegrationTests.Systemd;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>What an operator sees of the running appliance: /metrics and sd_notify.</summary>
[Collection(NotifySocketCollection.Name)]
public sealed class OperationsTests
{
    [Fact]
    public async Task Live_metrics_pass_promtool_and_show_the_pipeline()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() > 0, "leaves and a pulse");
        await appliance.Client.GetAsync("/v1/entropy?bytes=16");

        var response = await appliance.Client.GetAsync("/metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();

        var promtool = ExternalTool.Require("promtool", "prometheus");
        var (exitCode, stdout, stderr) = await ExternalTool.RunAsync(promtool, ["check", "metrics"], stdin: text);
        Assert.True(exitCode == 0, $"promtool rc={exitCode}\n{stdout}\n{stderr}\n---\n{text}");
        ExpositionChecker.Check(text);

        Assert.Matches(@"(?m)^qrng_source_read_bytes_total\{source=""truerng0""\} [1-9]", text);
        Assert.Matches(@"(?m)^qrng_pulses_total [1-9]", text);
        Assert.Matches(@"(?m)^qrng_pool_leaves_appended_total [1-9]", text);
        Assert.Matches(@"(?m)^qrng_entropy_served_bytes_total 16$", text);
        Assert.Contains("qrng_source_state{source=\"truerng0\",state=\"healthy\"} 1", text);
        Assert.Contains("qrng_build_info{", text);

        // Counters never go backwards between scrapes.
        await Task.Delay(300);
        ExpositionChecker.CheckMonotonic(text, await appliance.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Health_failures_are_counted_per_source_and_test()
    {
        await using var appliance = await RunningAppliance.StartAsync();
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("state").GetString() == "healthy", "healthy");
        appliance.Sim.SetFault(QrngAppliance.HwSim.TrueRng.SimulatedFault.Stuck());
        await RunningAppliance.WaitForAsync(async () => (await appliance.SourceAsync()).GetProperty("state").GetString() == "quarantined", "quarantine");
        var text = await appliance.Client.GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^qrng_source_health_failures_total\{source=""truerng0"",test=""rct""\} [1-9]", text);
        Assert.Contains("qrng_source_state{source=\"truerng0\",state=\"quarantined\"} 1", text);
    }

    [Fact]
    public async Task Systemd_hears_READY_once_a_source_passed_its_startup_test()
    {
        using var receiver = NotifyReceiver.InTempDirectory();
        await using var appliance = await RunningAppliance.StartAsync(
            configure: b => b.Services.AddSingleton(NotifySocketEnvironment.NotifierFor(receiver.NotifySocket)));
        string message;
        do
        {
            message = receiver.Receive(); // 10 s timeout per datagram
        }
        while (!message.Contains("READY=1", StringComparison.Ordinal));

        Assert.Contains("STATUS=sources: truerng0 healthy", message);
        Assert.True((await appliance.Client.GetAsync("/readyz")).IsSuccessStatusCode);
    }
}
