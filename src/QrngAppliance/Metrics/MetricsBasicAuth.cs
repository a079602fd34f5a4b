using System.Security.Cryptography;
using System.Text;

namespace QrngAppliance.Metrics;

/// <summary>
/// Credentials a scraper must present on <c>/metrics</c> (HTTP Basic, RFC 7617), as operators asked of prometheus-net
/// (OPERATIONS §5). Basic auth sends the password in clear: use it with TLS or on a private network only.
/// </summary>
public sealed class MetricsBasicAuth
{
    private readonly byte[] _expectedDigest;

    /// <summary>Requires <paramref name="userName"/> and <paramref name="password"/> (the user name must not contain ':').</summary>
    public MetricsBasicAuth(string userName, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (userName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("a Basic auth user name cannot contain ':'", nameof(userName));
        }

        _expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes($"{userName}:{password}"));
    }

    /// <summary>Whether an <c>Authorization</c> header value carries these credentials.</summary>
    internal bool Accepts(string? authorization)
    {
        const string Scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[512];
        if (!Convert.TryFromBase64String(authorization[Scheme.Length..].Trim(), decoded, out var length))
        {
            return false;
        }

        // Compare digests in constant time, so the answer time does not reveal how much of the secret matched.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded[..length]), _expectedDigest);
    }
}
