using System.Diagnostics.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

public class ConcurrencyTests
{
    [Fact]
    public async Task Concurrent_recording_loses_nothing_and_every_scrape_is_consistent()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        var counter = meter.CreateCounter<long>("qrng_source_read_bytes_total", "By");
        var histogram = meter.CreateHistogram("qrng_source_read_duration_seconds", "s", null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 0.75] });
        const int Writers = 4;
        const int PerWriter = 20_000;
        var sources = new[] { "usb0", "usb1", "tpm0" };

        using var done = new CancellationTokenSource();
        var firstScrape = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scraper = Task.Run(() =>
        {
            string? previous = null;
            while (!done.IsCancellationRequested)
            {
                var text = exporter.Scrape();
                ExpositionChecker.Check(text); // +Inf == _count and cumulative buckets, mid-flight too
                if (previous is not null)
                {
                    ExpositionChecker.CheckMonotonic(previous, text);
                }

                previous = text;
                firstScrape.TrySetResult();
            }
        });
        await firstScrape.Task; // so that writers and scrapes overlap
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var tag = new KeyValuePair<string, object?>("source", sources[(i + w) % sources.Length]);
                counter.Add(1, tag);
                histogram.Record((i % 4) * 0.25, tag);
            }
        })).ToArray();

        await Task.WhenAll(writers);
        await done.CancelAsync();
        await scraper;

        var samples = ExpositionChecker.Check(exporter.Scrape());
        Assert.Equal(Writers * PerWriter, samples.Where(s => s.Name == "qrng_source_read_bytes_total").Sum(s => s.Value));
        Assert.Equal(Writers * PerWriter, samples.Where(s => s.Name == "qrng_source_read_duration_seconds_count").Sum(s => s.Value));
        Assert.Equal(Writers * PerWriter * 0.375, samples.Where(s => s.Name == "qrng_source_read_duration_seconds_sum").Sum(s => s.Value), 6);
    }
}
