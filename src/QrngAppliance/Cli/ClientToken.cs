namespace QrngAppliance.Cli;

/// <summary>
/// The bearer token of a client verb (stake register, sim): from <c>--token-file</c> or <c>QRNG_TOKEN</c>, never from
/// an argument, because the command line of every process is readable by every local user.
/// </summary>
internal static class ClientToken
{
    public const string Variable = "QRNG_TOKEN";

    /// <summary>The token, trimmed; a missing one is a usage error naming <paramref name="scope"/> and both ways to give it.</summary>
    public static async Task<string> ReadAsync(string? path, string scope, CancellationToken cancellationToken)
    {
        string? token;
        if (path is not null)
        {
            try
            {
                token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--token-file {path}: {e.Message}");
            }
        }
        else
        {
            token = Environment.GetEnvironmentVariable(Variable)?.Trim();
        }

        return string.IsNullOrEmpty(token)
            ? throw new UsageException($"a token with {scope} is needed: --token-file FILE or the {Variable} environment variable")
            : token;
    }
}
