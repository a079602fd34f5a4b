using QrngAppliance.Api;
using QrngAppliance.Configuration;

namespace QrngAppliance.Metrics;

/// <summary>Turns <c>Appliance:Metrics</c> into the check <see cref="MetricsEndpointRouteBuilderExtensions.MapPrometheusMetrics"/> applies.</summary>
public static class MetricsAccess
{
    /// <summary>The Basic credentials for <c>Auth: basic</c>; null for the other modes. The options must have been validated.</summary>
    /// <exception cref="ConfigurationException">The password file cannot be read or is empty.</exception>
    public static MetricsBasicAuth? BasicAuth(MetricsOptions options)
    {
        if (options.Auth != MetricsOptions.BasicAuth)
        {
            return null;
        }

        if (options.PasswordSha256 is { } hash)
        {
            return MetricsBasicAuth.WithPasswordSha256(options.Username!, hash);
        }

        string password;
        try
        {
            // Trimmed like Prometheus trims its password_file, so both sides can read the same file.
            password = File.ReadAllText(options.PasswordFile!).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{ApplianceOptions.Section}:Metrics:PasswordFile", $"cannot read {options.PasswordFile}: {e.Message}");
        }

        return password.Length > 0
            ? new MetricsBasicAuth(options.Username!, password)
            : throw new ConfigurationException($"{ApplianceOptions.Section}:Metrics:PasswordFile", $"{options.PasswordFile} is empty");
    }

    /// <summary>The bearer check for <c>Auth: bearer</c> (401 without a valid token, 403 without <c>metrics:read</c>); else null.</summary>
    public static Func<HttpRequest, IResult?>? Bearer(MetricsOptions options, BearerTokens tokens) =>
        options.Auth == MetricsOptions.BearerAuth ? request => tokens.Authorize(request, BearerTokens.MetricsReadScope) : null;
}
