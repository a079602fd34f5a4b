using System.Diagnostics.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

public class PrometheusExporterTests
{
    [Fact]
    public void Golden_exposition_is_sorted_escaped_and_complete()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var read = meter.CreateCounter<long>("qrng.source.read", "By", "Raw bytes read.\nSecond line with \\ and \"quotes\"");
        var duration = meter.CreateHistogram("qrng_source_read_duration_seconds", "s", "Read duration.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });
        meter.CreateObservableGauge("qrng_pool_leaves", () => 42L, "{leaf}", "Leaves in the pool.");

        read.Add(1048576, new KeyValuePair<string, object?>("source", "usb0"));
        read.Add(7, new KeyValuePair<string, object?>("source", "A\\B \"x\"\nline2"));
        // Exact binary fractions, so the sum prints exactly: 2^-10 + 2^-7 + 2^-1.
        duration.Record(0.0009765625, new KeyValuePair<string, object?>("source", "usb0"));
        duration.Record(0.0078125, new KeyValuePair<string, object?>("source", "usb0"));
        duration.Record(0.5, new KeyValuePair<string, object?>("source", "usb0"));

        const string expected =
            "# HELP qrng_build_info Build of the running qrng binary; always 1.\n" +
            "# TYPE qrng_build_info gauge\n" +
            "qrng_build_info{commit=\"abc123\",version=\"1.2.3\"} 1\n" +
            "# HELP qrng_metrics_dropped_measurements_total Measurements the metrics exporter discarded, by reason.\n" +
            "# TYPE qrng_metrics_dropped_measurements_total counter\n" +
            "qrng_metrics_dropped_measurements_total{reason=\"invalid_label\"} 0\n" +
            "qrng_metrics_dropped_measurements_total{reason=\"invalid_value\"} 0\n" +
            "qrng_metrics_dropped_measurements_total{reason=\"series_limit\"} 0\n" +
            "# HELP qrng_pool_leaves Leaves in the pool.\n" +
            "# TYPE qrng_pool_leaves gauge\n" +
            "qrng_pool_leaves 42\n" +
            "# HELP qrng_source_read_bytes_total Raw bytes read.\\nSecond line with \\\\ and \"quotes\"\n" +
            "# TYPE qrng_source_read_bytes_total counter\n" +
            "qrng_source_read_bytes_total{source=\"A\\\\B \\\"x\\\"\\nline2\"} 7\n" +
            "qrng_source_read_bytes_total{source=\"usb0\"} 1048576\n" +
            "# HELP qrng_source_read_duration_seconds Read duration.\n" +
            "# TYPE qrng_source_read_duration_seconds histogram\n" +
            "qrng_source_read_duration_seconds_bucket{source=\"usb0\",le=\"0.001\"} 1\n" +
            "qrng_source_read_duration_seconds_bucket{source=\"usb0\",le=\"0.01\"} 2\n" +
            "qrng_source_read_duration_seconds_bucket{source=\"usb0\",le=\"0.1\"} 2\n" +
            "qrng_source_read_duration_seconds_bucket{source=\"usb0\",le=\"+Inf\"} 3\n" +
            "qrng_source_read_duration_seconds_sum{source=\"usb0\"} 0.5087890625\n" +
            "qrng_source_read_duration_seconds_count{source=\"usb0\"} 3\n";
        var text = exporter.Scrape();
        Assert.Equal(expected, text);
        ExpositionChecker.Check(text);
    }

    [Fact]
    public void Series_sort_by_label_set_and_labels_by_name_whatever_the_tag_order()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var failures = meter.CreateCounter<long>("qrng_source_health_failures_total", null, "Failures.");
        failures.Add(1, new("test", "rct"), new("source", "usb1"));
        failures.Add(1, new("source", "usb0"), new("test", "rct"));
        failures.Add(2, new("test", "apt"), new("source", "usb0"));
        failures.Add(1, new("test", "rct"), new("source", "usb0"));

        Assert.Equal(
            "# HELP qrng_source_health_failures_total Failures.\n" +
            "# TYPE qrng_source_health_failures_total counter\n" +
            "qrng_source_health_failures_total{source=\"usb0\",test=\"apt\"} 2\n" +
            "qrng_source_health_failures_total{source=\"usb0\",test=\"rct\"} 2\n" +
            "qrng_source_health_failures_total{source=\"usb1\",test=\"rct\"} 1\n",
            exporter.ScrapeInstruments());
    }

    [Fact]
    public void Histogram_inf_bucket_equals_count_and_boundary_values_fall_in_their_own_bucket()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var histogram = meter.CreateHistogram("lat", "ms", "Latency.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 10] });
        foreach (var ms in new[] { 5.0, 5.0, 7, 10, 11, 1e9 })
        {
            histogram.Record(ms);
        }

        histogram.Record(double.NaN); // dropped, and counted as invalid_value

        var text = exporter.Scrape();
        var samples = ExpositionChecker.Check(text);
        Assert.Contains("lat_seconds_bucket{le=\"0.005\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("lat_seconds_bucket{le=\"0.01\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("lat_seconds_bucket{le=\"+Inf\"} 6\n", text, StringComparison.Ordinal);
        Assert.Equal(6, samples.Single(s => s.Name == "lat_seconds_count").Value);
        Assert.Contains("qrng_metrics_dropped_measurements_total{reason=\"invalid_value\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_without_advice_uses_default_buckets_and_never_lacks_inf()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        meter.CreateHistogram<double>("plain_seconds", "s").Record(0.2);
        var text = exporter.ScrapeInstruments();
        ExpositionChecker.Check(text);
        Assert.Equal(12, text.Split('\n').Count(l => l.StartsWith("plain_seconds_bucket", StringComparison.Ordinal)));
        Assert.Contains("plain_seconds_bucket{le=\"0.25\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("plain_seconds_bucket{le=\"0.1\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Checker_rejects_a_histogram_without_inf_bucket()
    {
        const string bad = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 0.5\nh_count 1\n";
        Assert.Throws<InvalidDataException>(() => ExpositionChecker.Check(bad));
        const string mismatch = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 0.5\nh_count 2\n";
        Assert.Throws<InvalidDataException>(() => ExpositionChecker.Check(mismatch));
        const string leOnGauge = "# TYPE g gauge\ng{le=\"1\"} 1\n";
        Assert.Throws<InvalidDataException>(() => ExpositionChecker.Check(leOnGauge));
        const string duplicate = "# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"1\"} 2\n";
        Assert.Throws<InvalidDataException>(() => ExpositionChecker.Check(duplicate));
    }

    [Fact]
    public void Counters_are_monotonic_across_scrapes_and_negative_increments_are_dropped()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var counter = meter.CreateCounter<double>("qrng_things_total");
        var upDown = meter.CreateUpDownCounter<long>("qrng_inflight");
        counter.Add(2.5);
        upDown.Add(3);
        var first = exporter.Scrape();

        counter.Add(-10);
        counter.Add(double.PositiveInfinity);
        counter.Add(1);
        upDown.Add(-5);
        var second = exporter.Scrape();

        ExpositionChecker.CheckMonotonic(first, second);
        Assert.Contains("qrng_things_total 3.5\n", second, StringComparison.Ordinal);
        Assert.Contains("# TYPE qrng_inflight gauge\nqrng_inflight -2\n", second, StringComparison.Ordinal);
        Assert.Contains("qrng_metrics_dropped_measurements_total{reason=\"invalid_value\"} 2\n", second, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ExpositionChecker.CheckMonotonic(second, first));
    }

    [Fact]
    public void Observable_counters_are_counters_and_up_down_counters_are_gauges()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        meter.CreateObservableCounter("qrng.miner.hashes", () => 1_000_000L, "1", "Hashes computed.");
        meter.CreateObservableUpDownCounter("qrng.api.connections", () => 3, "{connection}", "Open connections.");
        meter.CreateObservableGauge("qrng.source.min_entropy", () => 0.875, "1", "Assessed min-entropy per bit.");

        Assert.Equal(
            "# HELP qrng_api_connections Open connections.\n" +
            "# TYPE qrng_api_connections gauge\n" +
            "qrng_api_connections 3\n" +
            "# HELP qrng_miner_hashes_total Hashes computed.\n" +
            "# TYPE qrng_miner_hashes_total counter\n" +
            "qrng_miner_hashes_total 1000000\n" +
            "# HELP qrng_source_min_entropy_ratio Assessed min-entropy per bit.\n" +
            "# TYPE qrng_source_min_entropy_ratio gauge\n" +
            "qrng_source_min_entropy_ratio 0.875\n",
            exporter.ScrapeInstruments());
    }

    [Fact]
    public void Non_histograms_never_carry_le_and_reserved_tags_are_dropped()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var gauge = meter.CreateGauge<double>("qrng_temperature_celsius");
        gauge.Record(20, new KeyValuePair<string, object?>("le", "1"));
        gauge.Record(21, new KeyValuePair<string, object?>("quantile", "0.5"));
        gauge.Record(22, new KeyValuePair<string, object?>("__name__", "x"));
        gauge.Record(23, new KeyValuePair<string, object?>("zone", "a"), new KeyValuePair<string, object?>("zone", "b"));
        gauge.Record(24.5, new KeyValuePair<string, object?>("zone", "a"));

        var text = exporter.Scrape();
        ExpositionChecker.Check(text);
        Assert.DoesNotContain("le=", text, StringComparison.Ordinal);
        Assert.Contains("qrng_temperature_celsius{zone=\"a\"} 24.5\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_metrics_dropped_measurements_total{reason=\"invalid_label\"} 4\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_that_export_alike_share_one_series()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var requests = meter.CreateCounter<long>("qrng_http_requests_total");
        requests.Add(1, new KeyValuePair<string, object?>("status", 200));
        requests.Add(1, new KeyValuePair<string, object?>("status", 200L));
        requests.Add(1, new KeyValuePair<string, object?>("status", "200"));
        requests.Add(1, new KeyValuePair<string, object?>("http.route", "/a"));
        requests.Add(1, new KeyValuePair<string, object?>("http_route", "/a"));

        Assert.Equal(
            "# HELP qrng_http_requests_total qrng_http_requests_total\n" +
            "# TYPE qrng_http_requests_total counter\n" +
            "qrng_http_requests_total{http_route=\"/a\"} 2\n" +
            "qrng_http_requests_total{status=\"200\"} 3\n",
            exporter.ScrapeInstruments());
    }

    [Fact]
    public void Removing_a_source_drops_its_series_from_every_instrument()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var read = meter.CreateCounter<long>("qrng_source_read_bytes_total", "By");
        var duration = meter.CreateHistogram<double>("qrng_source_read_duration_seconds", "s");
        foreach (var source in new[] { "usb0", "usb1" })
        {
            read.Add(10, new KeyValuePair<string, object?>("source", source));
            duration.Record(0.01, new KeyValuePair<string, object?>("source", source));
        }

        Assert.Equal(2, exporter.RemoveSeries("source", "usb0"));

        var text = exporter.ScrapeInstruments();
        Assert.DoesNotContain("usb0", text, StringComparison.Ordinal);
        Assert.Contains("qrng_source_read_bytes_total{source=\"usb1\"} 10\n", text, StringComparison.Ordinal);

        // Replugged: the series starts again from zero (a counter reset to Prometheus).
        read.Add(3, new KeyValuePair<string, object?>("source", "usb0"));
        Assert.Contains("qrng_source_read_bytes_total{source=\"usb0\"} 3\n", exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Observable_series_disappear_when_no_longer_reported()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var sources = new List<string> { "usb0", "tpm0" };
        meter.CreateObservableGauge("qrng_source_up",
            () => sources.Select(s => new Measurement<int>(1, new KeyValuePair<string, object?>("source", s))));

        Assert.Contains("qrng_source_up{source=\"usb0\"} 1\n", exporter.Scrape(), StringComparison.Ordinal);
        sources.Remove("usb0");
        var text = exporter.ScrapeInstruments();
        Assert.Equal("# HELP qrng_source_up qrng_source_up\n# TYPE qrng_source_up gauge\nqrng_source_up{source=\"tpm0\"} 1\n", text);
        sources.Clear();
        Assert.Equal("", exporter.ScrapeInstruments());
    }

    [Fact]
    public void Series_beyond_the_cap_are_dropped_and_counted()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter, maxSeries: 3);
        var counter = meter.CreateCounter<long>("qrng_requests_total");
        for (var i = 0; i < 5; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i));
        }

        counter.Add(1, new KeyValuePair<string, object?>("id", 0)); // an existing series still counts

        var text = exporter.Scrape();
        Assert.Equal(3, text.Split('\n').Count(l => l.StartsWith("qrng_requests_total{", StringComparison.Ordinal)));
        Assert.Contains("qrng_requests_total{id=\"0\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_metrics_dropped_measurements_total{reason=\"series_limit\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_observable_fails_the_scrape_instead_of_a_partial_body()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var fail = true;
        meter.CreateObservableGauge("qrng_flaky", () => fail ? throw new IOException("device") : 1);
        meter.CreateObservableGauge("qrng_steady", () => 2);

        Assert.Throws<AggregateException>(() => exporter.Scrape());
        fail = false;
        Assert.Contains("qrng_steady 2\n", exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Instruments_with_colliding_names_export_once_and_a_disposed_meter_disappears()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        meter.CreateCounter<long>("qrng.x", "By").Add(1);
        meter.CreateCounter<long>("qrng_x_bytes_total", "By").Add(5);
        meter.CreateObservableGauge("qrng_build_info", () => 7); // reserved for the exporter

        var text = exporter.Scrape();
        ExpositionChecker.Check(text);
        Assert.Contains("qrng_x_bytes_total 1\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE qrng_x_bytes_total", StringComparison.Ordinal));
        Assert.Contains("qrng_build_info{commit=\"abc123\",version=\"1.2.3\"} 1\n", text, StringComparison.Ordinal);

        meter.Dispose();
        Assert.Equal("", exporter.ScrapeInstruments());
    }

    [Fact]
    public void Process_metrics_come_from_proc()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter, processMetrics: true);
        var samples = ExpositionChecker.Check(exporter.Scrape());

        Assert.True(samples.Single(s => s.Name == "process_resident_memory_bytes").Value > 1024 * 1024);
        Assert.True(samples.Single(s => s.Name == "process_cpu_seconds_total").Value > 0);
        var start = DateTimeOffset.FromUnixTimeMilliseconds((long)(samples.Single(s => s.Name == "process_start_time_seconds").Value * 1000));
        var actualStart = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();
        Assert.InRange((start - actualStart).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Proc_stat_fields_survive_a_command_name_with_spaces_and_parentheses()
    {
        var fields = QrngAppliance.Metrics.ProcessStats.StatFields("42 (qrng (worker) 1) S 1 42 42 0 -1 4194560 10 0 0 0 250 75 0 0 20 0 8 0 123456 1000 200");
        Assert.Equal("S", fields[0]);
        Assert.Equal("250", fields[14 - 3]);
        Assert.Equal("75", fields[15 - 3]);
        Assert.Equal("123456", fields[22 - 3]);
    }
}
