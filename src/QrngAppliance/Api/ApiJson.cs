using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QrngAppliance.Api;

/// <summary>One JSON style for the whole API: snake_case names, no indentation.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Bodies are JSON, never HTML: keep '+' and quotes readable instead of \u002B.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A big whole number as clients send it, a JSON string or a number literal: its text exactly as written, so
    /// 1.5, 1e6 or -1 reach the parser (and are refused) rather than being rounded through a double; null otherwise.
    /// </summary>
    public static string? WholeNumberText(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var element)
            ? element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary><see cref="WholeNumberText"/> parsed as a u128: decimal digits only, 0 .. 2^128 − 1.</summary>
    public static bool TryUInt128(JsonElement parent, string name, out UInt128 value)
    {
        value = default;
        return WholeNumberText(parent, name) is { } text
            && UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
