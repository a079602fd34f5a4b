using System.Net;
using System.Text.Json;

namespace QrngAppliance.Cli;

/// <summary>The few HTTP reads the client verbs (stake register, verify --url, watch) make of a running appliance.</summary>
internal static class ApplianceHttp
{
    /// <summary>An appliance base URL, always ending in '/' so relative paths such as <c>v1/keys</c> append.</summary>
    public static Uri BaseUrl(string text, string option) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"{option} must be an http(s) URL such as http://127.0.0.1:8080, got '{text}'");

    /// <summary>The status and, when the body is JSON, the parsed body; network failures throw <see cref="HttpRequestException"/>.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement? Body, string Text)> GetAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            return (response.StatusCode, document.RootElement.Clone(), text);
        }
        catch (JsonException)
        {
            return (response.StatusCode, null, text);
        }
    }

    /// <summary>A 2xx JSON body; any other answer throws <see cref="InvalidDataException"/> naming the status and the error.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        var (status, body, text) = await GetAsync(http, uri, cancellationToken);
        return (int)status is >= 200 and < 300 && body is { } json
            ? json
            : throw new InvalidDataException($"GET {uri} answered {(int)status}: {ErrorOf(text)}");
    }

    /// <summary>The <c>error</c> of an API error body, else the body itself (clipped).</summary>
    public static string ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                ? error.GetString() ?? body
                : body;
        }
        catch (JsonException)
        {
            return body.Length <= 200 ? body : body[..200];
        }
    }
}
