using System.Text.Json;

namespace QrngAppliance.Api;

/// <summary>One JSON style for the whole API: snake_case names, no indentation.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
