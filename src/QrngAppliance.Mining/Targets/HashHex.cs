namespace QrngAppliance.Mining.Targets;

/// <summary>Bitcoin's display convention: a hash is shown as the hex of its bytes reversed.</summary>
public static class HashHex
{
    public static string ToDisplay(ReadOnlySpan<byte> hash)
    {
        var reversed = hash.ToArray();
        Array.Reverse(reversed);
        return Convert.ToHexStringLower(reversed);
    }

    public static byte[] FromDisplay(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Array.Reverse(bytes);
        return bytes;
    }
}
