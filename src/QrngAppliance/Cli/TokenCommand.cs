using System.Security.Cryptography;
using System.Text.Json;
using QrngAppliance.Api;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng token new --scopes S[,S...]</c>: prints a fresh API token once, and the configuration entry that
/// stores only its SHA-256 (the appliance never needs the token itself).
/// </summary>
public sealed class TokenCommand : ICliCommand
{
    public string Name => "token";

    public string Summary => "make an API bearer token and its Appliance:Tokens entry (hash only)";

    public string Usage =>
        """
        usage: qrng token new --scopes SCOPE[,SCOPE...] [--name NAME]

          --scopes  any of entropy:consume, security:consume, stake:write, admin, metrics:read (comma-separated)
          --name    a label for the entry (which client holds the token)

        Prints the token (shown once: store it with the client) and a JSON entry for Appliance:Tokens.
        """;

    public IReadOnlyList<string> Flags { get; } = [];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--scopes", "--name"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(1, "subcommand (new)");
        if (args.Positionals[0] != "new")
        {
            throw new UsageException($"unknown subcommand '{args.Positionals[0]}' (expected new)");
        }

        var scopes = args.Required("--scopes").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // Only scopes an endpoint checks: a typo would otherwise mint a token that silently authorises nothing.
        var unknown = scopes.Length == 0 ? "" : scopes.FirstOrDefault(s => !BearerTokens.KnownScopes.Contains(s));
        if (unknown is not null)
        {
            throw new UsageException($"--scopes: unknown scope '{unknown}'; choose from {string.Join(", ", BearerTokens.KnownScopes)}");
        }

        // 256 bits from the OS CSPRNG, base64url so it survives headers and shells unquoted.
        var token = "qrng_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var entry = JsonSerializer.Serialize(new { Name = args.Value("--name"), Sha256 = BearerTokens.HashOf(token), Scopes = scopes });
        await context.Out.WriteLineAsync($"token: {token}");
        await context.Out.WriteLineAsync($"Appliance:Tokens entry: {entry}");
        return ExitCodes.Success;
    }
}
