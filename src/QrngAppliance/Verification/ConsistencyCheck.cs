using System.Text.Json;
using QrngAppliance.Proofs.Merkle;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Verification;

/// <summary>
/// Checks a <c>GET /v1/log/consistency</c> body against two signed pulses: it must be the proof between their tree
/// sizes, and RFC 9162 §2.1.4.2 must lead from the earlier pulse's root to the later one's. The roots come from the
/// pulses (which the caller has verified), never from the proof body.
/// </summary>
public static class ConsistencyCheck
{
    /// <summary>Null when <paramref name="body"/> proves the log of <paramref name="later"/> extends that of <paramref name="earlier"/>; else the reason.</summary>
    /// <exception cref="FormatException">The body is not the JSON the consistency endpoint serves.</exception>
    public static string? Check(Pulse earlier, Pulse later, JsonElement body)
    {
        long first, second;
        List<byte[]> proof;
        try
        {
            first = body.GetProperty("first").GetInt64();
            second = body.GetProperty("second").GetInt64();
            proof = [.. body.GetProperty("consistency").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!))];
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new FormatException($"not a consistency proof ({e.Message})", e);
        }

        if (first != earlier.TreeSize || second != later.TreeSize)
        {
            return $"the proof is for sizes {first}..{second}, the pulses have tree sizes {earlier.TreeSize}..{later.TreeSize}";
        }

        return Check(earlier, later, proof);
    }

    /// <summary>Null when <paramref name="proof"/> links the two pulses' roots; the empty tree is consistent with every tree.</summary>
    public static string? Check(Pulse earlier, Pulse later, IReadOnlyList<byte[]> proof)
    {
        if (later.TreeSize < earlier.TreeSize)
        {
            return $"pulse {later.Seq}'s tree ({later.TreeSize}) is smaller than pulse {earlier.Seq}'s ({earlier.TreeSize})";
        }

        if (earlier.TreeSize == 0)
        {
            return null;
        }

        return MerkleProofs.VerifyConsistency(earlier.TreeSize, later.TreeSize, proof, earlier.Root, later.Root)
            ? null
            : $"the root of pulse {later.Seq} (tree {later.TreeSize}) is not an append-only extension of the root of pulse {earlier.Seq} (tree {earlier.TreeSize})";
    }
}
