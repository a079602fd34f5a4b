using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting.Systemd;
using QrngAppliance.Metrics;
using QrngAppliance.Systemd;

namespace QrngAppliance.IntegrationTests.Metrics;

public class MetricsRegistrationTests
{
    [Fact]
    public void Each_container_exports_its_own_appliance_metrics()
    {
        using var first = new ServiceCollection().AddApplianceMetrics().BuildServiceProvider();
        using var second = new ServiceCollection().AddApplianceMetrics(o => o.Version = "9.9.9").BuildServiceProvider();

        first.GetRequiredService<ApplianceMetrics>().RecordPulse();
        second.GetRequiredService<ApplianceMetrics>().RecordEntropyServed(5);
        var firstText = first.GetRequiredService<PrometheusExporter>().Scrape();
        var secondText = second.GetRequiredService<PrometheusExporter>().Scrape();

        Assert.Contains("qrng_pulses_total 1\n", firstText, StringComparison.Ordinal);
        Assert.Contains("qrng_entropy_served_bytes_total 0\n", firstText, StringComparison.Ordinal);
        Assert.Contains("qrng_pulses_total 0\n", secondText, StringComparison.Ordinal);
        Assert.Contains("qrng_entropy_served_bytes_total 5\n", secondText, StringComparison.Ordinal);
        Assert.Contains("version=\"9.9.9\"", secondText, StringComparison.Ordinal);
        Assert.Same(first.GetRequiredService<ApplianceMetrics>(), first.GetRequiredService<ApplianceMetrics>());
    }

    [Fact]
    public void A_pre_built_instance_is_exported_from_registration_on_and_disposed_with_the_container()
    {
        var metrics = new ApplianceMetrics();
        metrics.RecordPulse(); // before registration: no listener yet, so this one is not counted
        var services = new ServiceCollection().AddApplianceMetrics(metrics);
        metrics.RecordPulse(); // recorded before the container is even built

        PrometheusExporter exporter;
        using (var provider = services.BuildServiceProvider())
        {
            Assert.Same(metrics, provider.GetRequiredService<ApplianceMetrics>());
            exporter = provider.GetRequiredService<PrometheusExporter>();
            Assert.Contains("qrng_pulses_total 1\n", exporter.Scrape(), StringComparison.Ordinal);
        }

        // Disposing the container disposed the meter: its instruments are gone from the exposition.
        Assert.DoesNotContain("qrng_pulses_total", exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Systemd_integration_registers_a_notifier_and_an_idle_watchdog_outside_systemd()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSystemdIntegration();
        builder.Services.AddSingleton<IWatchdogProgressProbe, AlwaysProgressing>();
        using var host = builder.Build();

        await host.StartAsync();
        var watchdog = host.Services.GetServices<IHostedService>().OfType<SystemdWatchdog>().Single();
        await watchdog.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        await host.StopAsync();

        // The test runner is not a systemd service with a watchdog (no NOTIFY_SOCKET/WATCHDOG_USEC for it).
        Assert.Equal(Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 },
            host.Services.GetRequiredService<ISystemdNotifier>().IsEnabled);
        Assert.Same(TimeProvider.System, host.Services.GetRequiredService<TimeProvider>());
    }

    private sealed class AlwaysProgressing : IWatchdogProgressProbe
    {
        public bool MadeProgressSinceLastCheck() => true;
    }
}
