using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using QrngAppliance.Api;
using Microsoft.Extensions.DependencyInjection;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Metrics;
using QrngAppliance.IntegrationTests.Support;
using QrngAppliance.Pipeline;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>Operators read, override and feed the network security state; every change is audited durably.</summary>
public sealed class SecurityStateApiTests
{
    private const string AdminToken = "qrng_test-security-admin-token-0123456789";
    private const string StakeToken = "qrng_test-security-stake-token-0123456789";
    private const string EntropyToken = "qrng_test-security-entropy-token-0123456789";
    private const string ProofToken = "qrng_test-security-proof-token-0123456789";

    private static readonly IReadOnlyList<TokenOptions> s_tokens =
    [
        new TokenOptions { Name = "ops-alice", Sha256 = BearerTokens.HashOf(AdminToken), Scopes = [ValidatorEndpoints.AdminScope] },
        new TokenOptions { Name = "staker", Sha256 = BearerTokens.HashOf(StakeToken), Scopes = [ValidatorEndpoints.StakeWriteScope] },
        new TokenOptions { Name = "entropy", Sha256 = BearerTokens.HashOf(EntropyToken), Scopes = [BearerTokens.ConsumeScope] },
        new TokenOptions { Name = "prover", Sha256 = BearerTokens.HashOf(ProofToken), Scopes = [StakingEndpoints.SecurityConsumeScope] },
    ];

    [Fact]
    public async Task Overrides_are_audited_as_the_token_name_expire_and_survive_a_restart()
    {
        var dataDir = Directory.CreateTempSubdirectory("qrng-it-secstate-").FullName;
        try
        {
            await using (var appliance = await RunningAppliance.StartAsync(dataDir: dataDir, tokens: s_tokens))
            {
                var client = appliance.Client;
                var until = DateTimeOffset.UtcNow.AddHours(1);
                var set = await SendJsonAsync(client, HttpMethod.Put, "/v1/security/state/override",
                    $$"""{"state": "under-attack", "until": "{{until:O}}", "reason": "drill"}""", AdminToken);
                Assert.Equal("under-attack", set.GetProperty("state").GetString());
                Assert.Equal("peaceful", set.GetProperty("automatic_state").GetString());
                var shown = (await appliance.GetJsonAsync("/v1/security/state")).GetProperty("override");
                Assert.Equal("operator:ops-alice", shown.GetProperty("actor").GetString());
                Assert.Equal(until, shown.GetProperty("until").GetDateTimeOffset());
                Assert.Equal("drill", shown.GetProperty("reason").GetString());

                // The override is what quotes see: value 10 at the maximum tier and 8 × 3,322 bits.
                var quote = await SendJsonAsync(client, HttpMethod.Post, "/v1/security/quote", "{\"value\": \"10\"}", null);
                Assert.Equal(("under-attack", "QuantumSecured", "26576"),
                    (quote.GetProperty("state").GetString(), quote.GetProperty("tier").GetString(), quote.GetProperty("entropy_bits").GetString()));

                var cleared = await SendJsonAsync(client, HttpMethod.Delete, "/v1/security/state/override", "{\"reason\": \"drill over\"}", AdminToken);
                Assert.Equal("peaceful", cleared.GetProperty("state").GetString());
                Assert.Equal(JsonValueKind.Null, cleared.GetProperty("override").ValueKind);

                // A short override lapses by itself: the per-pulse evaluation audits it without any request asking.
                await SendJsonAsync(client, HttpMethod.Put, "/v1/security/state/override",
                    $$"""{"state": "critical", "until": "{{DateTimeOffset.UtcNow.AddSeconds(1.5):O}}", "reason": "short"}""", AdminToken);
                await RunningAppliance.WaitForAsync(
                    async () => (await AuditAsync(client)).Any(e => e.GetProperty("action").GetString() == "OverrideExpired"), "the override to expire");

                await SendJsonAsync(client, HttpMethod.Put, "/v1/security/state/override", """{"state": "Elevated", "reason": "until further notice"}""", AdminToken);
            }

            await using (var restarted = await RunningAppliance.StartAsync(dataDir: dataDir, tokens: s_tokens))
            {
                var state = await restarted.GetJsonAsync("/v1/security/state");
                Assert.Equal("elevated", state.GetProperty("state").GetString());
                Assert.Equal("operator:ops-alice", state.GetProperty("override").GetProperty("actor").GetString());
                Assert.Equal(JsonValueKind.Null, state.GetProperty("override").GetProperty("until").ValueKind);

                var audit = await AuditAsync(restarted.Client);
                Assert.Equal(["OverrideSet", "OverrideCleared", "OverrideSet", "OverrideExpired", "OverrideSet"], audit.Select(e => e.GetProperty("action").GetString()));
                Assert.All(audit, e => Assert.Equal("operator:ops-alice", e.GetProperty("actor").GetString()));
                Assert.Equal(["peaceful", "under-attack", "peaceful", "critical", "peaceful"], audit.Select(e => e.GetProperty("from").GetString()));
                Assert.Contains("drill over", audit[1].GetProperty("reason").GetString(), StringComparison.Ordinal);

                var limited = await AuditAsync(restarted.Client, "?limit=2");
                Assert.Equal(["OverrideExpired", "OverrideSet"], limited.Select(e => e.GetProperty("action").GetString()));

                var auditText = await GetTextAsync(restarted.Client, "/v1/security/audit", AdminToken);
                Assert.DoesNotContain(AdminToken, auditText, StringComparison.Ordinal);
                Assert.DoesNotContain(AdminToken, state.GetRawText(), StringComparison.Ordinal);
            }

            // Nor is the token in the database file or its write-ahead log.
            foreach (var file in Directory.GetFiles(dataDir, "qrng.db*"))
            {
                Assert.DoesNotContain(AdminToken, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Signals_escalate_the_state_and_quotes_cost_more()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        var client = appliance.Client;
        async Task<string> QuoteBitsAsync() =>
            (await SendJsonAsync(client, HttpMethod.Post, "/v1/security/quote", "{\"value\": 10}", null)).GetProperty("entropy_bits").GetString()!;

        Assert.Equal("3322", await QuoteBitsAsync());

        var now = DateTimeOffset.UtcNow;
        var vote = await SendJsonAsync(client, HttpMethod.Post, "/v1/security/signals",
            $$"""{"kind": "governance", "id": "prop-7", "proposal_impact": "10", "start": "{{now.AddMinutes(-1):O}}", "end": "{{now.AddHours(1):O}}"}""", AdminToken);
        Assert.Equal("elevated", vote.GetProperty("state").GetString());
        Assert.Equal("6644", await QuoteBitsAsync());

        var medium = await SendJsonAsync(client, HttpMethod.Post, "/v1/security/signals",
            """{"kind": "attack", "level": "medium", "source": "ids-1", "detail": "invalid proofs"}""", AdminToken);
        Assert.Equal("critical", medium.GetProperty("state").GetString());
        Assert.Equal("13288", await QuoteBitsAsync());

        var high = await SendJsonAsync(client, HttpMethod.Post, "/v1/security/signals",
            """{"kind": "attack", "level": "High", "source": "ids-2", "detail": "equivocation"}""", AdminToken);
        Assert.Equal("under-attack", high.GetProperty("state").GetString());
        Assert.Equal("26576", await QuoteBitsAsync());
        Assert.Contains(high.GetProperty("causes").EnumerateArray(), c => c.GetString()!.Contains("ids-2 (reported by operator:ops-alice)", StringComparison.Ordinal));

        var audit = await AuditAsync(client);
        Assert.Equal(["elevated", "critical", "under-attack"], audit.Select(e => e.GetProperty("to").GetString()));
        Assert.All(audit, e => Assert.Equal(("auto", "Transition"), (e.GetProperty("actor").GetString(), e.GetProperty("action").GetString())));
    }

    [Fact]
    public async Task The_price_rises_with_attested_consumption_and_is_shown_with_the_state()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 256, "256 leaves");

        var idle = await appliance.GetJsonAsync("/v1/security/price");
        Assert.Equal(60, idle.GetProperty("window_seconds").GetInt64());
        Assert.Equal(0, idle.GetProperty("recent_demand_bits").GetInt64());
        Assert.Equal("1.000000", idle.GetProperty("index").GetString());
        Assert.True(idle.GetProperty("available_bits").GetInt64() >= 256 * 256);
        Assert.Equal(0, idle.GetProperty("available_bits").GetInt64() % 256);

        using (var consumed = await appliance.Client.SendAsync(Request(HttpMethod.Post, "/v1/entropy/attested", "{\"bytes\": 4096, \"request_id\": \"price-1\"}", EntropyToken)))
        {
            Assert.True(consumed.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, await consumed.Content.ReadAsStringAsync());
        }

        var busy = (await appliance.GetJsonAsync("/v1/security/state")).GetProperty("price");
        Assert.Equal(128 * 256, busy.GetProperty("recent_demand_bits").GetInt64()); // 4,096 bytes = 128 leaves
        var index = decimal.Parse(busy.GetProperty("index").GetString()!, CultureInfo.InvariantCulture);
        Assert.Matches(@"^\d+\.\d{6}$", busy.GetProperty("index").GetString());
        Assert.True(index > 1m, $"index {index}");
    }

    [Fact]
    public async Task Live_metrics_export_the_staking_instruments_and_pass_promtool()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() > 0, "a pulse");

        var text = await appliance.Client.GetStringAsync("/metrics");
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var (exitCode, stdout, stderr) = await ExternalTool.RunAsync(promtool, ["check", "metrics"], stdin: text);
        Assert.True(exitCode == 0, $"promtool rc={exitCode}\n{stdout}\n{stderr}\n---\n{text}");
        ExpositionChecker.Check(text);
        foreach (var (name, type) in new[]
        {
            ("qrng_entropy_price_ratio", "gauge"),
            ("qrng_security_state", "gauge"),
            ("qrng_security_proofs_total", "counter"),
            ("qrng_security_entropy_consumed_bytes_total", "counter"),
        })
        {
            Assert.Contains($"# HELP {name} ", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {name} {type}\n", text, StringComparison.Ordinal);
        }

        Assert.Contains("qrng_security_state 0\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_security_proofs_total 0\n", text, StringComparison.Ordinal);

        // One proof for value 10: 3,322 bits = 416 bytes, counted once (a replay is not), and it is demand on the pool.
        await RunningAppliance.WaitForAsync(async () => await appliance.LatestTreeSizeAsync() >= 64, "64 leaves");
        var latest = appliance.App.Services.GetRequiredService<PulseChain>().Latest!;
        await SendJsonAsync(appliance.Client, HttpMethod.Post, "/v1/validators", StakingApiTests.RegistrationJson("val-m", latest), StakeToken, HttpStatusCode.Created);
        for (var i = 0; i < 2; i++)
        {
            await SendJsonAsync(appliance.Client, HttpMethod.Post, "/v1/security/proofs", "{\"tx_id\": \"tx-m\", \"value\": \"10\"}", ProofToken);
        }

        text = await appliance.Client.GetStringAsync("/metrics");
        Assert.Contains("qrng_security_proofs_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("qrng_security_entropy_consumed_bytes_total 416\n", text, StringComparison.Ordinal);
        Assert.Equal(3322, (await appliance.GetJsonAsync("/v1/security/price")).GetProperty("recent_demand_bits").GetInt64());

        await SendJsonAsync(appliance.Client, HttpMethod.Put, "/v1/security/state/override", """{"state": "under-attack", "reason": "metrics"}""", AdminToken);
        text = await appliance.Client.GetStringAsync("/metrics");
        Assert.Contains("qrng_security_state 3\n", text, StringComparison.Ordinal);
        var ratio = Regex.Match(text, @"(?m)^qrng_entropy_price_ratio (\S+)$").Groups[1].Value;
        Assert.True(double.Parse(ratio, CultureInfo.InvariantCulture) > 1, $"price ratio {ratio} after 3,322 bits of demand");
    }

    [Fact]
    public async Task Security_operations_need_an_admin_token_and_name_the_field_of_any_bad_input()
    {
        await using var appliance = await RunningAppliance.StartAsync(tokens: s_tokens);
        var client = appliance.Client;
        const string good = """{"state": "critical", "reason": "x"}""";
        (HttpMethod Method, string Path, string? Body)[] guarded =
        [
            (HttpMethod.Put, "/v1/security/state/override", good),
            (HttpMethod.Delete, "/v1/security/state/override", null),
            (HttpMethod.Post, "/v1/security/signals", """{"kind": "attack", "level": "high", "source": "x"}"""),
            (HttpMethod.Get, "/v1/security/audit", null),
        ];
        foreach (var (method, path, body) in guarded)
        {
            using var anonymous = await client.SendAsync(Request(method, path, body, null));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var unknown = await client.SendAsync(Request(method, path, body, "qrng_not-a-token"));
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
            using var wrongScope = await client.SendAsync(Request(method, path, body, StakeToken));
            Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
            Assert.Contains("admin", await ErrorAsync(wrongScope), StringComparison.Ordinal);
        }

        var now = DateTimeOffset.UtcNow;
        (string Body, string Field)[] badOverrides =
        [
            ("""{"state": "panic", "reason": "x"}""", "state"),
            ("""{"state": 3, "reason": "x"}""", "state"),
            ("""{"reason": "x"}""", "state"),
            ("""{"state": "critical"}""", "reason"),
            ("""{"state": "critical", "reason": "   "}""", "reason"),
            ($$"""{"state": "critical", "reason": "{{new string('r', 257)}}"}""", "reason"),
            ("""{"state": "critical", "reason": "a\u0000b"}""", "reason"),
            ($$"""{"state": "critical", "reason": "x", "until": "{{now.AddMinutes(-5):O}}"}""", "until"),
            ($$"""{"state": "critical", "reason": "x", "until": "{{now.AddYears(30):O}}"}""", "until"),
            ("""{"state": "critical", "reason": "x", "until": "tomorrow"}""", "until"),
            ($$"""{"state": "critical", "reason": "x", "until": "{{now.AddHours(1):yyyy-MM-ddTHH:mm:ss}}"}""", "until"),
            ($$"""{"state": "critical", "reason": "x", "until": "{{now.AddDays(1):yyyy-MM-dd}}"}""", "until"),
            ("""{"state": "critical", "reason": "x", "until": 1767225600}""", "until"),
            ("not json", "JSON object"),
            ("[1, 2]", "JSON object"),
        ];
        foreach (var (body, field) in badOverrides)
        {
            using var response = await client.SendAsync(Request(HttpMethod.Put, "/v1/security/state/override", body, AdminToken));
            var error = await ErrorAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {response.StatusCode} {error}");
            Assert.Contains(field.Contains(' ', StringComparison.Ordinal) ? field : $"'{field}'", error, StringComparison.Ordinal);
        }

        (string Body, string Field)[] badSignals =
        [
            ("""{"level": "high", "source": "x"}""", "kind"),
            ("""{"kind": "rumour"}""", "kind"),
            ("""{"kind": "attack", "level": "extreme", "source": "x"}""", "level"),
            ("""{"kind": "attack", "level": "high"}""", "source"),
            ($$"""{"kind": "attack", "level": "high", "source": "{{new string('s', 65)}}"}""", "source"),
            ("""{"kind": "attack", "level": "high", "source": "x", "detail": 5}""", "detail"),
            ($$"""{"kind": "governance", "proposal_impact": "5", "end": "{{now.AddHours(1):O}}"}""", "id"),
            ($$"""{"kind": "governance", "id": "p", "proposal_impact": "-1", "end": "{{now.AddHours(1):O}}"}""", "proposal_impact"),
            ($$"""{"kind": "governance", "id": "p", "proposal_impact": 1.5, "end": "{{now.AddHours(1):O}}"}""", "proposal_impact"),
            ("""{"kind": "governance", "id": "p", "proposal_impact": "5"}""", "end"),
            ($$"""{"kind": "governance", "id": "p", "proposal_impact": "5", "start": "{{now.AddHours(2):O}}", "end": "{{now.AddHours(1):O}}"}""", "end"),
            ($$"""{"kind": "governance", "id": "p", "proposal_impact": "5", "end": "{{now.AddYears(1):O}}"}""", "end"),
        ];
        foreach (var (body, field) in badSignals)
        {
            using var response = await client.SendAsync(Request(HttpMethod.Post, "/v1/security/signals", body, AdminToken));
            var error = await ErrorAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {response.StatusCode} {error}");
            Assert.Contains($"'{field}'", error, StringComparison.Ordinal);
        }

        foreach (var query in new[] { "?limit=0", "?limit=abc", "?limit=1001", "?limit=-1", "?limit=1&limit=2" })
        {
            using var response = await client.SendAsync(Request(HttpMethod.Get, "/v1/security/audit" + query, null, AdminToken));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("'limit'", await ErrorAsync(response), StringComparison.Ordinal);
        }

        // A body over the limit is refused before it is parsed, as on every staking endpoint.
        using (var huge = await client.SendAsync(Request(HttpMethod.Put, "/v1/security/state/override", $$"""{"state": "critical", "reason": "{{new string('r', 5000)}}"}""", AdminToken)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
            Assert.Contains("bytes", await ErrorAsync(huge), StringComparison.Ordinal);
        }

        // Nothing bad got through: no override, no signal, nothing audited.
        var state = await appliance.GetJsonAsync("/v1/security/state");
        Assert.Equal(("peaceful", false), (state.GetProperty("state").GetString(), state.GetProperty("override_active").GetBoolean()));
        Assert.Empty(await AuditAsync(client));
    }

    private static async Task<JsonElement[]> AuditAsync(HttpClient client, string query = "") =>
        [.. JsonDocument.Parse(await GetTextAsync(client, "/v1/security/audit" + query, AdminToken)).RootElement.GetProperty("entries").EnumerateArray()];

    private static async Task<string> GetTextAsync(HttpClient client, string path, string token)
    {
        using var response = await client.SendAsync(Request(HttpMethod.Get, path, null, token));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    private static Task<JsonElement> SendJsonAsync(HttpClient client, HttpMethod method, string path, string body, string? token, HttpStatusCode expected = HttpStatusCode.OK) =>
        StakingRequests.ExpectAsync(client, Request(method, path, body, token), expected);

    private static HttpRequestMessage Request(HttpMethod method, string path, string? json, string? token) => StakingRequests.Request(method, path, json, token);

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
