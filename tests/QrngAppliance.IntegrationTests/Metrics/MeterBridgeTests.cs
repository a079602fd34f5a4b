using System.Diagnostics.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

/// <summary>What our bridge from System.Diagnostics.Metrics into prometheus-net decides; the text format is prometheus-net's.</summary>
public class MeterBridgeTests
{
    [Fact]
    public void Each_instrument_kind_keeps_its_name_and_gets_the_right_prometheus_type()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        meter.CreateCounter<long>("qrng_a_total", null, "A.").Add(3);
        var total = 10L;
        meter.CreateObservableCounter("qrng_b_total", () => total, null, "B.");
        meter.CreateUpDownCounter<int>("qrng_c", null, "C.").Add(-2);
        meter.CreateGauge<double>("qrng_d", null, "D.").Record(0.5);
        meter.CreateObservableGauge("qrng_e", () => 7, null, "E.");
        meter.CreateObservableUpDownCounter("qrng_f", () => -4, null, "F.");

        exporter.Scrape();
        total = 12;
        var text = exporter.ScrapeInstruments();

        foreach (var expected in new[]
        {
            "# TYPE qrng_a_total counter\nqrng_a_total 3\n", "# TYPE qrng_b_total counter\nqrng_b_total 12\n",
            "# TYPE qrng_c gauge\nqrng_c -2\n", "# TYPE qrng_d gauge\nqrng_d 0.5\n", "# TYPE qrng_e gauge\nqrng_e 7\n",
            "# TYPE qrng_f gauge\nqrng_f -4\n",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        ExpositionChecker.Check(exporter.Scrape());
    }

    [Fact]
    public void Negative_counter_increments_and_changed_tag_keys_are_dropped_and_counted()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var counter = meter.CreateCounter<long>("qrng_reads_total");
        counter.Add(5, new KeyValuePair<string, object?>("source", "usb0"));
        counter.Add(-1, new KeyValuePair<string, object?>("source", "usb0"));
        counter.Add(1, new KeyValuePair<string, object?>("device", "usb0"));
        counter.Add(1, new KeyValuePair<string, object?>("source", "usb0"), new KeyValuePair<string, object?>("test", "rct"));
        meter.CreateHistogram<double>("qrng_h_seconds").Record(double.NaN);

        var text = exporter.Scrape();

        Assert.Contains("qrng_reads_total{source=\"usb0\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_metrics_dropped_measurements_total{reason=\"invalid_value\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_metrics_dropped_measurements_total{reason=\"invalid_label\"} 2\n", text, StringComparison.Ordinal);
        ExpositionChecker.Check(text);
    }

    [Fact]
    public void Labels_follow_tag_keys_whatever_their_order_and_values_format_invariantly()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var counter = meter.CreateCounter<long>("qrng_answers_total");
        counter.Add(1, new("status", 404), new("route", "/x"));
        counter.Add(1, new("route", "/x"), new("status", 404));

        Assert.Contains("qrng_answers_total{route=\"/x\",status=\"404\"} 2\n", exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Observable_series_disappear_when_their_callback_no_longer_reports_them()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var sources = new List<string> { "usb0", "usb1" };
        meter.CreateObservableGauge("qrng_up", () => sources.Select(s => new Measurement<int>(1, new KeyValuePair<string, object?>("source", s))));

        Assert.Contains("qrng_up{source=\"usb1\"} 1\n", exporter.Scrape(), StringComparison.Ordinal);
        sources.Remove("usb1");
        var text = exporter.Scrape();

        Assert.Contains("qrng_up{source=\"usb0\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("usb1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Histograms_use_the_bucket_advice_and_inf_equals_count()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var histogram = meter.CreateHistogram("qrng_read_seconds", "s", null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        histogram.Record(0.1);
        histogram.Record(0.5);
        histogram.Record(30);

        var text = exporter.Scrape();

        Assert.Contains("qrng_read_seconds_bucket{le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_read_seconds_bucket{le=\"1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_read_seconds_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_read_seconds_count 3\n", text, StringComparison.Ordinal);
        ExpositionChecker.Check(text);
    }
}
