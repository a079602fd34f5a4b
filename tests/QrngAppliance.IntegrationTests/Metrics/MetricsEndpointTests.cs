using System.Net;
using QrngAppliance.Metrics;

namespace QrngAppliance.IntegrationTests.Metrics;

public class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_endpoint_answers_200_with_the_0_0_4_content_type()
    {
        using var metrics = new ApplianceMetrics();
        using var exporter = TestExporter.For(metrics.Meter);
        metrics.RecordPulse();
        await using var host = await MetricsHost.StartAsync(exporter);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Contains("qrng_pulses_total 1\n", body, StringComparison.Ordinal);
        ExpositionChecker.Check(body);
    }

    [Fact]
    public async Task Metrics_endpoint_answers_503_when_collection_fails()
    {
        using var meter = TestExporter.NewMeter();
        using var exporter = TestExporter.For(meter);
        meter.CreateObservableGauge("qrng_broken", (Func<int>)(() => throw new InvalidOperationException("cache gone")));
        await using var host = await MetricsHost.StartAsync(exporter);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_requests_are_counted_by_route_pattern_and_status()
    {
        using var metrics = new ApplianceMetrics();
        using var exporter = TestExporter.For(metrics.Meter);
        await using var host = await MetricsHost.StartAsync(exporter, metrics);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        (await client.GetAsync("/metrics")).Dispose();
        (await client.GetAsync("/no/such/path/12345")).Dispose();
        var body = await client.GetStringAsync("/metrics");

        Assert.Contains("qrng_http_requests_total{route=\"/metrics\",status=\"200\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("qrng_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("12345", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_auth_rejects_missing_or_wrong_credentials_and_accepts_the_right_ones()
    {
        using var metrics = new ApplianceMetrics();
        using var exporter = TestExporter.For(metrics.Meter);
        metrics.RecordPulse();
        await using var host = await MetricsHost.StartAsync(exporter, basicAuth: new MetricsBasicAuth("prometheus", "s3cr:et é"));
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        async Task<HttpResponseMessage> GetAsync(string? credentials)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            if (credentials is not null)
            {
                request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
            }

            return await client.SendAsync(request);
        }

        using var anonymous = await GetAsync(null);
        using var wrong = await GetAsync("prometheus:s3cr:et e");
        using var right = await GetAsync("prometheus:s3cr:et é");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("qrng_pulses_total 1\n", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Basic_auth_user_names_cannot_contain_a_colon()
    {
        Assert.Throws<ArgumentException>(() => new MetricsBasicAuth("a:b", "pw"));
    }
}
