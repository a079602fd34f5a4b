using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using QrngAppliance.Api;
using QrngAppliance.Keys;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.IntegrationTests.LogAudit;

/// <summary>
/// A hostile appliance in front of a real one, on 127.0.0.1 port 0: it forwards every GET and lets a test rewrite
/// the answer (alter, drop, freeze, or re-sign with the appliance's own keys to forge a genuine equivocation).
/// </summary>
internal sealed class ForgingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private ForgingProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public string Url => _app.Urls.First();

    /// <param name="rewrite">Given the path and query and the upstream body, the body to serve, or null for a 404.</param>
    public static async Task<ForgingProxy> StartAsync(Uri upstream, Func<string, string, string?> rewrite)
    {
        var http = new HttpClient { BaseAddress = upstream, Timeout = TimeSpan.FromSeconds(10) };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            var pathAndQuery = context.Request.Path + context.Request.QueryString;
            using var response = await http.GetAsync(pathAndQuery, context.RequestAborted);
            var body = rewrite(pathAndQuery, await response.Content.ReadAsStringAsync(context.RequestAborted));
            context.Response.StatusCode = body is null ? (int)HttpStatusCode.NotFound : (int)response.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body ?? """{"error":"no such pulse"}""", context.RequestAborted);
        });
        await app.StartAsync();
        return new ForgingProxy(app, http);
    }

    /// <summary>The appliance's own signers, loaded from its data directory: what a compromised appliance holds.</summary>
    public static IPulseSigner[] SignersOf(string dataDir) =>
        [SigningKeyStore.LoadOrCreateEd25519(dataDir), SigningKeyStore.LoadOrCreateMlDsa65(dataDir)];

    /// <summary>The JSON view of <paramref name="view"/>'s pulse changed by <paramref name="alter"/> and signed afresh.</summary>
    public static string Resign(JsonElement view, Func<Pulse, Pulse> alter, IReadOnlyList<IPulseSigner> signers)
    {
        var altered = alter(LogApplianceFixture.Signed(view));
        var signed = PulseCodec.SignedBytes(altered);
        var pulse = altered with { Signatures = [.. signers.Select(s => new PulseSignature(s.Algorithm, s.KeyId, s.Sign(signed)))] };
        return JsonSerializer.Serialize(PulseView.From(pulse), ApiJson.Options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
