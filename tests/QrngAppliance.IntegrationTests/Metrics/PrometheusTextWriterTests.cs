using System.Buffers;
using System.Text;
using QrngAppliance.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

public class PrometheusTextWriterTests
{
    [Theory]
    [InlineData(0.005, "0.005")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(1048576, "1048576")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Floats_are_invariant_shortest_round_trip(double value, string expected)
    {
        Assert.Equal(expected, PrometheusTextWriter.FormatDouble(value));
    }

    [Fact]
    public void Floats_ignore_the_current_culture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            // InvariantGlobalization allows no named cultures, so build a comma-decimal one by hand.
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            Thread.CurrentThread.CurrentCulture = comma;
            Assert.Equal("0,25", 0.25.ToString(System.Globalization.CultureInfo.CurrentCulture));
            Assert.Equal("0.25", PrometheusTextWriter.FormatDouble(0.25));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Label_values_escape_exactly_backslash_quote_and_newline()
    {
        var encoded = PrometheusTextWriter.EncodeLabels([new("a", "A\\B \"x\"\nline2\ttab é")]);
        Assert.Equal("a=\"A\\\\B \\\"x\\\"\\nline2\ttab é\"", Encoding.UTF8.GetString(encoded));
    }

    [Fact]
    public void Help_escapes_backslash_and_newline_but_not_quotes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new PrometheusTextWriter(buffer).WriteHelpAndType("x"u8, "say \"hi\" \\ then\nmore", "gauge");
        Assert.Equal("# HELP x say \"hi\" \\\\ then\\nmore\n# TYPE x gauge\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Histogram_bucket_label_follows_the_series_labels()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new PrometheusTextWriter(buffer).WriteSample("h"u8, "_bucket"u8, "s=\"u\""u8, PrometheusTextWriter.EncodeLe(0.5), 3L);
        new PrometheusTextWriter(buffer).WriteSample("h"u8, "_bucket"u8, default, PrometheusTextWriter.EncodeLe(0.5), 3L);
        Assert.Equal("h_bucket{s=\"u\",le=\"0.5\"} 3\nh_bucket{le=\"0.5\"} 3\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
