using System.Security.Cryptography;
using System.Text;

namespace QrngAppliance.Metrics;

/// <summary>
/// Credentials a scraper must present on <c>/metrics</c> (HTTP Basic, RFC 7617), as operators asked of prometheus-net
/// (OPERATIONS §5). Basic auth sends the password in clear: use it with TLS or on a private network only.
/// </summary>
public sealed class MetricsBasicAuth
{
    private readonly byte[] _userDigest;
    private readonly byte[] _passwordDigest;

    /// <summary>Requires <paramref name="userName"/> and <paramref name="password"/> (the user name must not contain ':').</summary>
    public MetricsBasicAuth(string userName, string password)
        : this(userName, SHA256.HashData(Encoding.UTF8.GetBytes(NotEmpty(password, nameof(password)))))
    {
    }

    private MetricsBasicAuth(string userName, byte[] passwordDigest)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        if (userName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("a Basic auth user name cannot contain ':'", nameof(userName));
        }

        _userDigest = SHA256.HashData(Encoding.UTF8.GetBytes(userName));
        _passwordDigest = passwordDigest;
    }

    /// <summary>Requires <paramref name="userName"/> and the password whose UTF-8 bytes hash to <paramref name="passwordSha256"/> (hex).</summary>
    /// <exception cref="ArgumentException">The user name is empty or has ':', or the hash is not 64 hex digits.</exception>
    public static MetricsBasicAuth WithPasswordSha256(string userName, string passwordSha256)
    {
        if (passwordSha256.Length != 64 || !passwordSha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("the password hash must be 64 hex digits (SHA-256)", nameof(passwordSha256));
        }

        return new MetricsBasicAuth(userName, Convert.FromHexString(passwordSha256));
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

        // RFC 7617 §2: user-id ":" password, the user-id without ':', so the first colon splits them.
        var colon = decoded[..length].IndexOf((byte)':');
        if (colon < 0)
        {
            return false;
        }

        // Compare digests in constant time, both of them always, so the answer time does not reveal which part matched.
        var user = CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded[..colon]), _userDigest);
        var password = CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded[(colon + 1)..length]), _passwordDigest);
        return user & password;
    }

    private static string NotEmpty(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return value;
    }
}
