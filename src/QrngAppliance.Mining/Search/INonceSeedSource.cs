namespace QrngAppliance.Mining.Search;

/// <summary>
/// Supplies the seed that decides which nonce partitions are searched in which order. The appliance plugs in
/// attested entropy (the provenance then names the pulse); the CLI uses <see cref="OsNonceSeedSource"/>.
/// </summary>
public interface INonceSeedSource
{
    ValueTask<NonceSeed> NextSeedAsync(CancellationToken cancellationToken);
}
