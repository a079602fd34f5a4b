namespace QrngAppliance.Mining.Search;

/// <summary>Random bytes that order a search's nonce partitions, and where they came from.</summary>
/// <param name="Bytes">At least 16 bytes of entropy.</param>
/// <param name="Provenance">An opaque label the share records, e.g. an attested pulse id or <c>os-csprng</c>.</param>
public sealed record NonceSeed(byte[] Bytes, string Provenance)
{
    public string BytesHex => Convert.ToHexStringLower(Bytes);
}
