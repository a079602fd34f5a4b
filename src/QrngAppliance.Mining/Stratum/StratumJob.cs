using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using QrngAppliance.Mining.Sha256;

namespace QrngAppliance.Mining.Stratum;

/// <summary>
/// The work of one <c>mining.notify</c>, and the byte orders pools expect when it becomes a block header:
/// coinbase = coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2; merkle root = fold of SHA-256d(root ‖ branch);
/// prevhash arrives with each 4-byte word byte-swapped; version, nbits, ntime are big-endian hex of
/// little-endian header fields; the nonce is submitted as big-endian hex of the header's little-endian word.
/// </summary>
public sealed record StratumJob(
    string JobId,
    string PrevHash,
    string Coinbase1,
    string Coinbase2,
    IReadOnlyList<string> MerkleBranch,
    string Version,
    string NBits,
    string NTime,
    bool CleanJobs)
{
    /// <summary>Parses the params array of <c>mining.notify</c>.</summary>
    public static StratumJob FromNotifyParams(JsonElement p)
    {
        if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() < 9)
        {
            throw new FormatException("mining.notify needs 9 params");
        }

        var job = new StratumJob(
            p[0].GetString() ?? throw new FormatException("job_id is null"),
            Hex(p[1], 32, "prevhash"),
            Hex(p[2], -1, "coinb1"),
            Hex(p[3], -1, "coinb2"),
            p[4].EnumerateArray().Select(b => Hex(b, 32, "merkle_branch")).ToArray(),
            Hex(p[5], 4, "version"),
            Hex(p[6], 4, "nbits"),
            Hex(p[7], 4, "ntime"),
            p[8].ValueKind == JsonValueKind.True);
        return job;
    }

    public byte[] BuildCoinbase(string extranonce1, string extranonce2) =>
        Convert.FromHexString(Coinbase1 + extranonce1 + extranonce2 + Coinbase2);

    /// <summary>The merkle root in header byte order (internal order, as hashed).</summary>
    public byte[] MerkleRoot(ReadOnlySpan<byte> coinbase)
    {
        var root = Sha256d.Hash(coinbase);
        var pair = new byte[64];
        foreach (var branch in MerkleBranch)
        {
            root.CopyTo(pair, 0);
            Convert.FromHexString(branch).CopyTo(pair, 32);
            root = Sha256d.Hash(pair);
        }

        return root;
    }

    /// <summary>The 80-byte header for this job with the given extranonce2, ntime (hex) and nonce.</summary>
    public byte[] BuildHeader(string extranonce1, string extranonce2, string ntime, uint nonce)
    {
        var header = new byte[80];
        BinaryPrimitives.WriteUInt32LittleEndian(header, ParseWord(Version));
        var prev = Convert.FromHexString(PrevHash);
        for (var i = 0; i < 32; i += 4)
        {
            // Each 32-bit word of the notify prevhash is byte-swapped relative to the header.
            header[4 + i] = prev[i + 3];
            header[5 + i] = prev[i + 2];
            header[6 + i] = prev[i + 1];
            header[7 + i] = prev[i];
        }

        MerkleRoot(BuildCoinbase(extranonce1, extranonce2)).CopyTo(header, 36);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(68), ParseWord(ntime));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(72), ParseWord(NBits));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(76), nonce);
        return header;
    }

    public static uint ParseWord(string hex) => uint.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static string Hex(JsonElement e, int bytes, string what)
    {
        var s = e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"{what} is not a string");
        if (s.Length % 2 != 0 || (bytes >= 0 && s.Length != 2 * bytes) || !s.All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"{what} is not {(bytes >= 0 ? $"{bytes} bytes of " : string.Empty)}hex: '{s}'");
        }

        return s.ToLowerInvariant();
    }
}
