namespace QrngAppliance.Configuration;

/// <summary>One API token (<c>Appliance:Tokens:N</c>): the token itself is never stored, only its SHA-256.</summary>
public sealed class TokenOptions
{
    /// <summary>A label for operators (which client holds the token); never used for authentication.</summary>
    public string? Name { get; set; }

    /// <summary>Lowercase or uppercase hex SHA-256 of the token's UTF-8 bytes (64 characters).</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>What the token may do, e.g. <c>entropy:consume</c>.</summary>
    public List<string> Scopes { get; set; } = [];
}
