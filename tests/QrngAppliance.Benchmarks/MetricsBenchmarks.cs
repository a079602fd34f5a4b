extern alias qrng;

using System.Buffers;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Entropy.Sources;
using qrng::QrngAppliance.Metrics;

namespace QrngAppliance.Benchmarks;

/// <summary>
/// Cost of recording into <see cref="ApplianceMetrics"/> while <see cref="PrometheusExporter"/> bridges it into
/// prometheus-net, against the same call with no listener (the baseline), and the cost of one scrape of a realistic
/// exposition. The end-to-end scrape against the previous exporter is scripts/bench-metrics-scrape.sh.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*MetricsBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private ApplianceMetrics _unlistened = null!;
    private ApplianceMetrics _exported = null!;
    private PrometheusExporter _exporter = null!;
    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _unlistened = new ApplianceMetrics();
        _exported = new ApplianceMetrics();
        var exported = _exported;
        _exporter = new PrometheusExporter(new PrometheusExporterOptions { MeterFilter = m => ReferenceEquals(m, exported.Meter) });
        var states = Enumerable.Range(0, 8).ToDictionary(i => $"usb{i}", i => (SourceState)(i % 4));
        _exported.SetSourceStateProvider(() => states);
        _exported.SetPoolLeavesProvider(() => 123_456);
        foreach (var source in states.Keys)
        {
            _exported.RecordBytesRead(source, 4096);
            _exported.RecordHealthFailure(source, "rct");
            _exported.ObserveReadDuration(source, TimeSpan.FromMilliseconds(2));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _exporter.Dispose();
        _exported.Dispose();
        _unlistened.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void RecordBytesRead_without_listener() => _unlistened.RecordBytesRead("usb3", 4096);

    [Benchmark]
    public void RecordBytesRead_exported() => _exported.RecordBytesRead("usb3", 4096);

    [Benchmark]
    public void ObserveReadDuration_exported() => _exported.ObserveReadDuration("usb3", TimeSpan.FromMilliseconds(2));

    [Benchmark]
    public void RecordHealthFailure_exported() => _exported.RecordHealthFailure("usb3", "rct");

    [Benchmark]
    public int Scrape_8_sources()
    {
        _body.ResetWrittenCount();
        _exporter.Write(_body);
        return _body.WrittenCount;
    }
}
