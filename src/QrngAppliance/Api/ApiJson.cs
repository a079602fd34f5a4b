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
}
