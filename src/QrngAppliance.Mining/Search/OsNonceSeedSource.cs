using System.Security.Cryptography;

namespace QrngAppliance.Mining.Search;

/// <summary>Seeds from the operating system CSPRNG, labelled <c>os-csprng</c>.</summary>
public sealed class OsNonceSeedSource : INonceSeedSource
{
    public ValueTask<NonceSeed> NextSeedAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new NonceSeed(RandomNumberGenerator.GetBytes(32), "os-csprng"));
}
