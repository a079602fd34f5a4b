using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Api;

/// <summary>
/// Log auditing in the shape of RFC 9162 §4 (get-sth-consistency, get-proof-by-hash by index, get-entries):
/// <c>GET /v1/log/consistency?first=&amp;second=</c>, <c>GET /v1/log/inclusion?leaf_index=&amp;tree_size=</c> and
/// <c>GET /v1/log/leaves?start=&amp;end=</c>. Open, like <c>/v1/pulses</c>: they reveal hashes only.
/// </summary>
/// <remarks>
/// Sizes are bounded by the latest signed pulse's tree_size, not by the in-memory log: every answer can then be
/// checked against a root some signed pulse carries, which is the only root an auditor trusts (RFC 9162 serves
/// proofs against STHs the same way). Leaves are served as leaf hashes, never as leaf data: the data holds the
/// conditioned block, which is the entropy a client (or the DRBG) was given, so publishing it would leak secrets.
/// </remarks>
public static class LogEndpoints
{
    /// <summary>Most leaves one <c>/v1/log/leaves</c> request returns.</summary>
    public const int MaxLeaves = 1000;

    public static void MapLogEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/log/consistency", (string? first, string? second, AttestedPool pool, PulseChain chain) =>
        {
            var (firstSize, secondSize) = (Parse("first", first), Parse("second", second));
            if ((firstSize.Error ?? secondSize.Error) is { } error)
            {
                return ApiError.BadRequest(error);
            }

            var (m, n, size) = (firstSize.Value, secondSize.Value, SignedTreeSize(chain));
            if (m == 0 || m > n)
            {
                return ApiError.BadRequest($"first={m} second={n}: need 1 <= first <= second (every tree extends the empty one, there is nothing to prove)");
            }

            if (n > size)
            {
                return ApiError.BadRequest($"second={n} is beyond the latest signed tree size {size}");
            }

            return Results.Json(new ConsistencyView(m, n, Hex(pool.Log.ConsistencyProof(m, n))), ApiJson.Options);
        });

        app.MapGet("/v1/log/inclusion", ([FromQuery(Name = "leaf_index")] string? leafIndex, [FromQuery(Name = "tree_size")] string? treeSizeText, AttestedPool pool, PulseChain chain) =>
        {
            var (index, treeSize) = (Parse("leaf_index", leafIndex), Parse("tree_size", treeSizeText));
            if ((index.Error ?? treeSize.Error) is { } error)
            {
                return ApiError.BadRequest(error);
            }

            var size = SignedTreeSize(chain);
            if (treeSize.Value > size)
            {
                return ApiError.BadRequest($"tree_size={treeSize.Value} is beyond the latest signed tree size {size}");
            }

            if (index.Value >= treeSize.Value)
            {
                return ApiError.BadRequest($"leaf_index={index.Value} is not in a tree of {treeSize.Value} leaves");
            }

            return Results.Json(new InclusionView(index.Value, treeSize.Value, Hex(pool.Log.InclusionProof(index.Value, treeSize.Value))), ApiJson.Options);
        });

        app.MapGet("/v1/log/leaves", (string? start, string? end, AttestedPool pool, PulseChain chain) =>
        {
            var (from, to) = (Parse("start", start), Parse("end", end));
            if ((from.Error ?? to.Error) is { } error)
            {
                return ApiError.BadRequest(error);
            }

            var size = SignedTreeSize(chain);
            if (to.Value <= from.Value || to.Value - from.Value > MaxLeaves)
            {
                return ApiError.BadRequest($"start={from.Value} end={to.Value}: need start < end (end exclusive) and at most {MaxLeaves} leaves");
            }

            if (to.Value > size)
            {
                return ApiError.BadRequest($"end={to.Value} is beyond the latest signed tree size {size}");
            }

            var leaves = new List<LeafView>((int)(to.Value - from.Value));
            for (var i = from.Value; i < to.Value; i++)
            {
                leaves.Add(new LeafView(i, Convert.ToHexStringLower(pool.Log.LeafHash(i))));
            }

            return Results.Json(leaves, ApiJson.Options);
        });
    }

    /// <summary>The tree size of the latest signed pulse; 0 before the first pulse, so every request is refused.</summary>
    private static long SignedTreeSize(PulseChain chain) => chain.Latest?.TreeSize ?? 0;

    /// <summary>A required whole-number query parameter (decimal digits only, so "-1", "1.5" and "" are refused).</summary>
    private static (long Value, string? Error) Parse(string name, string? text) =>
        text is null ? (0, $"{name}= is required")
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? (value, null)
        : (0, $"{name} must be a whole number, got '{(text.Length <= 32 ? text : text[..32])}'");

    private static List<string> Hex(IReadOnlyList<byte[]> hashes) => [.. hashes.Select(Convert.ToHexStringLower)];
}

/// <summary>RFC 9162 consistency proof between tree sizes <see cref="First"/> and <see cref="Second"/> (hex hashes).</summary>
public sealed record ConsistencyView(long First, long Second, IReadOnlyList<string> Consistency);

/// <summary>RFC 9162 inclusion proof (audit path, hex) of leaf <see cref="LeafIndex"/> in the tree of <see cref="TreeSize"/>.</summary>
public sealed record InclusionView(long LeafIndex, long TreeSize, IReadOnlyList<string> Inclusion);

/// <summary>A log leaf: its index and RFC 9162 leaf hash, SHA-256(0x00 ‖ leaf data), hex.</summary>
public sealed record LeafView(long Index, string LeafHash);
