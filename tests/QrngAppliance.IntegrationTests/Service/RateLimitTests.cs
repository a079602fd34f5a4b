using System.Net;
using System.Net.Http.Json;
using QrngAppliance.Api;
using QrngAppliance.Configuration;

namespace QrngAppliance.IntegrationTests.Service;

/// <summary>
/// <c>Appliance:RateLimits</c> on a running appliance: anonymous callers by address, token holders by token, and
/// invalid tokens on a per-minute budget; 429 with Retry-After and a counted rejection; probes never limited.
/// </summary>
public sealed class RateLimitTests
{
    private const string Token = "qrng_rate_limit_test_token_abcdefghijklmnop";

    [Fact]
    public async Task Anonymous_requests_past_the_bucket_get_429_with_retry_after_and_are_counted_while_probes_pass()
    {
        await using var appliance = await StartAsync(o => (o.AnonymousPerSecond, o.AnonymousBurst) = (1, 5));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 12; i++)
        {
            var response = await appliance.Client.GetAsync("/v1/chain-info");
            statuses.Add(response.StatusCode);
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        // The burst of 5 first, then at most one refill per second that passed (a slow machine sees more refills).
        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) <= 5 + (int)Math.Ceiling(clock.Elapsed.TotalSeconds), string.Join(",", statuses));
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.ToString());
        Assert.Contains("rate limit exceeded", await limited.Content.ReadAsStringAsync());

        for (var i = 0; i < 20; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await appliance.Client.GetAsync("/healthz")).StatusCode);
        }

        Assert.Matches(@"(?m)^qrng_http_rate_limited_total\{policy=""anonymous""\} [1-9]", await appliance.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_valid_token_has_its_own_bucket_and_invalid_tokens_get_a_small_per_minute_one()
    {
        await using var appliance = await StartAsync(o => (o.AnonymousPerSecond, o.AnonymousBurst, o.InvalidTokenPerMinute, o.TokenBurst) = (1, 2, 3, 100));
        var exhausted = false;
        for (var i = 0; i < 50 && !exhausted; i++)
        {
            exhausted = (await appliance.Client.GetAsync("/v1/chain-info")).StatusCode == HttpStatusCode.TooManyRequests; // this address's anonymous bucket
        }

        Assert.True(exhausted);

        // Token holders are not starved by the anonymous traffic from the same address.
        for (var i = 0; i < 10; i++)
        {
            using var ok = new HttpRequestMessage(HttpMethod.Get, "/v1/chain-info");
            ok.Headers.Authorization = new("Bearer", Token);
            Assert.Equal(HttpStatusCode.OK, (await appliance.Client.SendAsync(ok)).StatusCode);
        }

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var guess = new HttpRequestMessage(HttpMethod.Post, "/v1/entropy/attested") { Content = JsonContent.Create(new { bytes = 32, request_id = "g" + i }) };
            guess.Headers.Authorization = new("Bearer", "qrng_guess_" + i);
            guesses.Add((await appliance.Client.SendAsync(guess)).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 3), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 5)], guesses);
        Assert.Matches(@"(?m)^qrng_http_rate_limited_total\{policy=""invalid_token""\} 5$", await appliance.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public void Absurd_limits_stop_startup_naming_the_key()
    {
        var options = new ApplianceOptions { Sources = [new SourceOptions { Id = "s", Profile = "truerng-v3", Path = "/dev/null" }] };
        options.RateLimits.TokenBurst = 0;
        var e = Assert.Throws<ConfigurationException>(() => ApplianceOptionsValidator.Validate(options));
        Assert.Contains("Appliance:RateLimits:TokenBurst", e.Message);
    }

    private static Task<RunningAppliance> StartAsync(Action<RateLimitOptions> limits) => RunningAppliance.StartAsync(
        tokens: [new TokenOptions { Sha256 = BearerTokens.HashOf(Token), Scopes = [BearerTokens.ConsumeScope] }],
        configureOptions: o => limits(o.RateLimits));
}
