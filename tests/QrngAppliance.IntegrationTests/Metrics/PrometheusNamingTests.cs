using QrngAppliance.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

public class PrometheusNamingTests
{
    [Theory]
    [InlineData("qrng.source.read", "By", true, "qrng_source_read_bytes_total")]
    [InlineData("qrng_source_read_bytes_total", "By", true, "qrng_source_read_bytes_total")]
    [InlineData("qrng_entropy_bytes_total", "By", true, "qrng_entropy_bytes_total")]
    [InlineData("qrng_entropy_bytes", "By", true, "qrng_entropy_bytes_total")]
    [InlineData("qrng.pulses", "{pulse}", true, "qrng_pulses_total")]
    [InlineData("qrng.clients", "{clients}", false, "qrng_clients")]
    [InlineData("qrng.source.read.duration", "s", false, "qrng_source_read_duration_seconds")]
    [InlineData("qrng_source_read_duration_seconds", "s", false, "qrng_source_read_duration_seconds")]
    [InlineData("http.server.request.duration", "ms", false, "http_server_request_duration_seconds")]
    [InlineData("qrng.source.min_entropy", "1", false, "qrng_source_min_entropy_ratio")]
    [InlineData("qrng.miner.hashes", "1", true, "qrng_miner_hashes_total")]
    [InlineData("qrng.device.temperature", "Cel", false, "qrng_device_temperature_celsius")]
    [InlineData("qrng.net.io", "By/s", false, "qrng_net_io_bytes_per_second")]
    [InlineData("qrng.request-count", "{request}/s", false, "qrng_request_count_per_second")]
    [InlineData("qrng_pool_leaves", null, false, "qrng_pool_leaves")]
    public void Instrument_names_and_units_translate_without_double_suffixes(string name, string? unit, bool isCounter, string expected)
    {
        var (word, _) = PrometheusNaming.TranslateUnit(unit, isCounter);
        Assert.Equal(expected, PrometheusNaming.FamilyName(name, word, isCounter));
    }

    [Fact]
    public void Milliseconds_are_exported_as_seconds()
    {
        Assert.Equal(("seconds", 1000.0), PrometheusNaming.TranslateUnit("ms", isCounter: false));
    }

    [Theory]
    [InlineData("9lives")]
    [InlineData("")]
    public void Invalid_metric_names_are_rejected(string name)
    {
        Assert.Null(PrometheusNaming.FamilyName(name, null, isCounter: false));
    }

    [Theory]
    [InlineData("le", null)]
    [InlineData("quantile", null)]
    [InlineData("__name__", null)]
    [InlineData("1st", null)]
    [InlineData("http.route", "http_route")]
    [InlineData("a:b", "a_b")]
    [InlineData("source", "source")]
    public void Tag_keys_become_label_names_and_reserved_ones_are_rejected(string key, string? expected)
    {
        Assert.Equal(expected, PrometheusNaming.LabelName(key));
    }
}
