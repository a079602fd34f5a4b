namespace QrngAppliance.IntegrationTests.Metrics;

public class ProcessStatsTests
{
    [Fact]
    public void Proc_stat_fields_survive_a_command_name_with_spaces_and_parentheses()
    {
        var fields = QrngAppliance.Metrics.ProcessStats.StatFields("42 (qrng (worker) 1) S 1 42 42 0 -1 4194560 10 0 0 0 250 75 0 0 20 0 8 0 123456 1000 200");
        Assert.Equal("S", fields[0]);
        Assert.Equal("250", fields[14 - 3]);
        Assert.Equal("75", fields[15 - 3]);
        Assert.Equal("123456", fields[22 - 3]);
    }

    [Fact]
    public void Process_metrics_come_from_proc()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter, processMetrics: true);

        var samples = ExpositionChecker.Check(exporter.Scrape());

        Assert.True(samples.Single(s => s.Name == "process_cpu_seconds_total").Value > 0);
        Assert.True(samples.Single(s => s.Name == "process_resident_memory_bytes").Value > 1 << 20);
        Assert.InRange(samples.Single(s => s.Name == "process_start_time_seconds").Value,
            DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
