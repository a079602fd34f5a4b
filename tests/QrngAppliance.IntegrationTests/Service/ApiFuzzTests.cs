using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using QrngAppliance.Api;
using QrngAppliance.Configuration;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>
/// Malformed requests against every route of a running appliance: none may end in a server error (only 503 with a
/// JSON error body, the documented "no entropy now"), and the appliance still serves afterwards. Bounded and seeded,
/// so a failure names a request that reproduces.
/// </summary>
public sealed class ApiFuzzTests
{
    private const string AdminToken = "qrng_fuzz-admin-token-0123456789";
    private const string ConsumeToken = "qrng_fuzz-consume-token-0123456789";
    private const int Seed = 90_017;
    private const int RequestsPerRoute = 60;

    private static readonly IReadOnlyList<TokenOptions> s_tokens =
    [
        new TokenOptions
        {
            Name = "admin", Sha256 = BearerTokens.HashOf(AdminToken),
            Scopes = [ValidatorEndpoints.AdminScope, ValidatorEndpoints.StakeWriteScope],
        },
        new TokenOptions
        {
            Name = "consumer", Sha256 = BearerTokens.HashOf(ConsumeToken),
            Scopes = [BearerTokens.ConsumeScope, StakingEndpoints.SecurityConsumeScope],
        },
    ];

    /// <summary>Every route the API maps, with the parameter names its handler reads.</summary>
    private static readonly (HttpMethod Method, string Path, string[] Query)[] s_routes =
    [
        (HttpMethod.Get, "/healthz", []),
        (HttpMethod.Get, "/readyz", []),
        (HttpMethod.Get, "/metrics", []),
        (HttpMethod.Get, "/v1/entropy", ["bytes", "encoding"]),
        (HttpMethod.Post, "/v1/entropy/attested", []),
        (HttpMethod.Get, "/v1/attestation", []),
        (HttpMethod.Get, "/v1/chain-info", []),
        (HttpMethod.Get, "/v1/keys", []),
        (HttpMethod.Get, "/v1/sources", []),
        (HttpMethod.Get, "/v1/pulses", ["from", "to"]),
        (HttpMethod.Get, "/v1/pulses/latest", []),
        (HttpMethod.Get, "/v1/pulses/{}", []),
        (HttpMethod.Get, "/v1/proofs/{}", []),
        (HttpMethod.Get, "/v1/log/consistency", ["first", "second"]),
        (HttpMethod.Get, "/v1/log/inclusion", ["leaf_index", "tree_size"]),
        (HttpMethod.Get, "/v1/log/leaves", ["start", "end"]),
        (HttpMethod.Post, "/v1/security/quote", []),
        (HttpMethod.Post, "/v1/security/proofs", []),
        (HttpMethod.Get, "/v1/security/proofs/{}", []),
        (HttpMethod.Get, "/v1/security/stakeable-leaves", ["count"]),
        (HttpMethod.Get, "/v1/security/state", []),
        (HttpMethod.Put, "/v1/security/state/override", []),
        (HttpMethod.Delete, "/v1/security/state/override", []),
        (HttpMethod.Get, "/v1/security/price", []),
        (HttpMethod.Get, "/v1/security/audit", []),
        (HttpMethod.Post, "/v1/security/signals", []),
        (HttpMethod.Get, "/v1/validators", []),
        (HttpMethod.Post, "/v1/validators", []),
        (HttpMethod.Get, "/v1/validators/{}", []),
        (HttpMethod.Post, "/v1/validators/{}/slash", []),
        (HttpMethod.Post, "/v1/validators/{}/unbond", []),
        (HttpMethod.Get, "/v1/mining", []),
        (HttpMethod.Post, "/v1/mining/start", []),
        (HttpMethod.Post, "/v1/mining/stop", []),
        (HttpMethod.Post, "/v1/mining/pool", []),
        (HttpMethod.Get, "/v1/pool", []),
        (HttpMethod.Get, "/v1/history", []),
        (HttpMethod.Get, "/", []),
        (HttpMethod.Get, "/dashboard/{}", []),
    ];

    private static readonly string[] s_values =
    [
        "", "0", "-1", "1", "65536", "65537", "4096", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        new string('9', 400), "1e3", "0x10", "NaN", "Infinity", " 5", "5 ", "+5", "05", "1.5", "true", "null", "[]", "{}",
        "%00", "\u0000", "☢", "hex", "base64", "../../etc/passwd", "%2F..%2F", new string('a', 5000), "\ud83d", "1,2",
    ];

    private static readonly string[] s_bodies =
    [
        "", "{", "}", "[]", "null", "0", "\"x\"", "{\"bytes\": }", "{\"bytes\": 64}", "{\"bytes\": -1, \"request_id\": \"r\"}",
        "{\"bytes\": 1e400, \"request_id\": \"r\"}", "{\"bytes\": \"64\", \"request_id\": 7}", "{\"value\": \"0\"}",
        "{\"value\": \"340282366920938463463374607431768211456\"}", "{\"value\": -5}", "{\"value\": {\"a\": 1}}",
        "{\"tx_id\": \"\", \"value\": \"10\"}", "{\"tx_id\": \"a b\", \"value\": \"10\"}", "{\"state\": \"panic\", \"reason\": \"x\"}",
        "{\"state\": 3}", "{\"id\": \"Val 1\", \"token_stake\": \"1000\"}", "{\"id\": \"v\", \"token_stake\": \"99999999999999999999999999999999999999999\"}",
        "{\"a\": 1, \"a\": 2}", "{\"reason\": \"" + new string('r', 70_000) + "\"}", new string('[', 20_000) + new string(']', 20_000),
        "{\"signal\": \"whale\", \"severity\": \"high\", \"value\": \"1\"}", "\u00ff\u00fe\u0000garbage", "{\"request_id\": \"security-proof:x\", \"bytes\": 32}",
    ];

    [Fact]
    public async Task Malformed_requests_on_every_route_never_end_in_a_server_error_and_the_appliance_keeps_serving()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens, configureOptions: o => o.RateLimits.Enabled = false);

        // Fuzz a ready appliance: /readyz's own 503 while the first startup test runs is not what this test is about.
        await RunningAppliance.WaitForAsync(async () => (await appliance.Client.GetAsync("/readyz")).IsSuccessStatusCode, "the appliance to be ready");
        var random = new Random(Seed);
        var failures = new List<string>();
        var sent = 0;
        var statuses = new SortedDictionary<int, int>();
        foreach (var route in s_routes)
        {
            for (var i = 0; i < RequestsPerRoute; i++)
            {
                using var request = Mutate(route, random);
                var described = $"{request.Method} {request.RequestUri} (auth {request.Headers.Authorization?.Scheme ?? "none"})";
                using var response = await appliance.Client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                sent++;
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                if ((int)response.StatusCode >= 500 && !(response.StatusCode == HttpStatusCode.ServiceUnavailable && body.Contains("\"error\"", StringComparison.Ordinal)))
                {
                    failures.Add($"{described} -> {(int)response.StatusCode} {Truncate(body)}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests ended in a server error:\n{string.Join("\n", failures.Take(10))}");
        Assert.Equal(s_routes.Length * RequestsPerRoute, sent);
        // The mutations must reach the handlers, not stop at routing or auth: each kind of answer shows up.
        var seen = string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"));
        Assert.All(new[] { 200, 400, 401, 404 }, code => Assert.True(statuses.ContainsKey(code), $"no {code} among {seen}"));
        using var health = await appliance.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var entropy = await appliance.Client.GetAsync("/v1/entropy?bytes=32");
        Assert.Equal(HttpStatusCode.OK, entropy.StatusCode);
    }

    [Fact]
    public async Task A_client_that_sends_its_headers_too_slowly_gets_408_and_is_closed()
    {
        await using var appliance = await RunningAppliance.StartAsync(configure: b => b.WebHost.ConfigureKestrel(k =>
        {
            // Kestrel's own timeout (30 s by default) shortened so the test is bounded; the appliance adds nothing on top.
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(1);
        }));
        var address = appliance.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /v1/pulses/latest HTTP/1.1\r\nHost: x\r\nX-Slow: "));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        var text = Encoding.ASCII.GetString(received.ToArray());
        Assert.StartsWith("HTTP/1.1 408", text, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Mutate((HttpMethod Method, string Path, string[] Query) route, Random random)
    {
        var path = route.Path.Replace("{}", Uri.EscapeDataString(Pick(s_values, random)), StringComparison.Ordinal);
        var query = new StringBuilder();
        foreach (var name in route.Query.Concat(["x", "bytes"]).Where(_ => random.Next(3) > 0))
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(Pick(s_values, random)));
        }

        if (random.Next(8) == 0)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append("%ZZ=%G1&&&==");
        }

        var request = new HttpRequestMessage(route.Method, path + query);
        switch (random.Next(4))
        {
            case 0: break;
            case 1: request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + (random.Next(2) == 0 ? AdminToken : ConsumeToken)); break;
            case 2: request.Headers.TryAddWithoutValidation("Authorization", Pick(["Bearer", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer qrng_" + new string('x', 9000), "bearer  " + AdminToken], random)); break;
            default: request.Headers.TryAddWithoutValidation("Authorization", "Bearer qrng_not-a-token"); break;
        }

        if (route.Method != HttpMethod.Get || random.Next(6) == 0)
        {
            var body = Pick(s_bodies, random);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", Pick(["application/json", "text/plain", "application/json; charset=latin1", "multipart/form-data; boundary=x"], random));
        }

        return request;
    }

    private static string Pick(string[] values, Random random) => values[random.Next(values.Length)];

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
