using System.Buffers;
using System.Globalization;
using System.Text;

namespace QrngAppliance.Metrics;

/// <summary>
/// Writes Prometheus text format 0.0.4 as UTF-8 bytes straight into an <see cref="IBufferWriter{T}"/>
/// (OPERATIONS §1): <c>\n</c> line ends, HELP escaping only <c>\\</c> and <c>\n</c>, label values escaping exactly
/// <c>\\</c>, <c>\"</c> and <c>\n</c>, invariant shortest round-trip floats with <c>+Inf</c>/<c>-Inf</c>/<c>NaN</c>.
/// </summary>
/// <remarks>The caller is responsible for family order and contiguity; label blocks are pre-encoded per series.</remarks>
internal sealed class PrometheusTextWriter(IBufferWriter<byte> output)
{
    private static readonly byte[] s_help = "# HELP "u8.ToArray();
    private static readonly byte[] s_type = "# TYPE "u8.ToArray();

    public void WriteHelpAndType(ReadOnlySpan<byte> familyName, string help, string type)
    {
        Write(s_help);
        Write(familyName);
        WriteByte((byte)' ');
        WriteEscaped(help, escapeQuote: false);
        WriteByte((byte)'\n');
        Write(s_type);
        Write(familyName);
        WriteByte((byte)' ');
        WriteAscii(type);
        WriteByte((byte)'\n');
    }

    /// <summary>
    /// One sample line: <c>name[suffix]{labels[,extra]} value</c>. <paramref name="labels"/> is a pre-encoded
    /// <c>a="x",b="y"</c> block (see <see cref="EncodeLabels"/>); <paramref name="extraLabel"/> is e.g. <c>le="0.5"</c>.
    /// </summary>
    public void WriteSample(ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> labels,
        ReadOnlySpan<byte> extraLabel, double value)
    {
        WriteName(familyName, suffix, labels, extraLabel);
        WriteDouble(value);
        WriteByte((byte)'\n');
    }

    public void WriteSample(ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> labels,
        ReadOnlySpan<byte> extraLabel, long value)
    {
        WriteName(familyName, suffix, labels, extraLabel);
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
        WriteByte((byte)'\n');
    }

    /// <summary>Encodes label pairs, already sorted and validated, as <c>a="x",b="y"</c> with values escaped.</summary>
    public static byte[] EncodeLabels(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new PrometheusTextWriter(buffer);
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                writer.WriteByte((byte)',');
            }

            writer.WriteAscii(labels[i].Key);
            writer.WriteByte((byte)'=');
            writer.WriteByte((byte)'"');
            writer.WriteEscaped(labels[i].Value, escapeQuote: true);
            writer.WriteByte((byte)'"');
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The bytes of <c>le="bound"</c> for a histogram bucket.</summary>
    public static byte[] EncodeLe(double bound)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        var writer = new PrometheusTextWriter(buffer);
        writer.Write("le=\""u8);
        writer.WriteDouble(bound);
        writer.WriteByte((byte)'"');
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Formats a value as Go's ParseFloat reads it: invariant, shortest round-trip, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatDouble(double value)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        new PrometheusTextWriter(buffer).WriteDouble(value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteName(ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> labels,
        ReadOnlySpan<byte> extraLabel)
    {
        Write(familyName);
        Write(suffix);
        if (labels.Length > 0 || extraLabel.Length > 0)
        {
            WriteByte((byte)'{');
            Write(labels);
            if (labels.Length > 0 && extraLabel.Length > 0)
            {
                WriteByte((byte)',');
            }

            Write(extraLabel);
            WriteByte((byte)'}');
        }

        WriteByte((byte)' ');
    }

    private void WriteDouble(double value)
    {
        if (double.IsNaN(value))
        {
            Write("NaN"u8);
        }
        else if (double.IsPositiveInfinity(value))
        {
            Write("+Inf"u8);
        }
        else if (double.IsNegativeInfinity(value))
        {
            Write("-Inf"u8);
        }
        else
        {
            // .NET Core 3.0+ formats doubles as the shortest string that round-trips ("0.005", "1E-07");
            // Go's ParseFloat accepts both forms.
            var span = output.GetSpan(32);
            value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
            output.Advance(written);
        }
    }

    private void WriteEscaped(string text, bool escapeQuote)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var replacement = text[i] switch
            {
                '\\' => "\\\\"u8,
                '\n' => "\\n"u8,
                '"' when escapeQuote => "\\\""u8,
                _ => default,
            };
            if (replacement.IsEmpty)
            {
                continue;
            }

            WriteUtf8(text.AsSpan(start, i - start));
            Write(replacement);
            start = i + 1;
        }

        WriteUtf8(text.AsSpan(start));
    }

    private void WriteUtf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private void WriteAscii(string text) => WriteUtf8(text);

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            output.Write(bytes);
        }
    }

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
