using System.Globalization;
using System.Text.Json;
using QrngAppliance.Pipeline;
using QrngAppliance.Staking;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.Api;

/// <summary>
/// <c>POST /v1/validators</c> (scope <c>stake:write</c>) and <c>POST /v1/validators/{id}/slash</c> (scope
/// <c>admin</c>), docs/staking.md "Registry". Bodies name every field a problem is in.
/// </summary>
public static class ValidatorEndpoints
{
    public const string StakeWriteScope = "stake:write";
    public const string AdminScope = "admin";

    /// <summary>A registration carries an ML-DSA-65 signed pulse (~5 KiB in base64) and up to 65,536 leaf indices.</summary>
    public const int MaxRegistrationBytes = 1 << 20;

    /// <summary>An appliance signs with two keys (Ed25519, ML-DSA-65); a few more leave room for a rotation.</summary>
    private const int MaxAttestationKeys = 8;

    private const string RegistrationShape =
        "{\"id\", \"token_stake\", \"entropy_stake\": {\"merkle_root\", \"tree_size\", \"leaf_indices\"}, \"attestation\": {\"appliance_id\", \"pulse\", \"signatures\"}}";

    public static void MapValidatorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/validators", async (HttpContext context, BearerTokens tokens, ValidatorRegistry registry, CancellationToken cancellationToken) =>
        {
            var (body, actor, error) = await StakingEndpoints.AuthorizedBodyAsync(context, tokens, StakeWriteScope, RegistrationShape, cancellationToken, MaxRegistrationBytes);
            if (error is not null)
            {
                return error;
            }

            ValidatorRegistration registration;
            try
            {
                registration = ParseRegistration(body) with { Operator = actor };
            }
            catch (FormatException e)
            {
                return ApiError.BadRequest(e.Message);
            }

            return await RegistryResultAsync(() => registry.RegisterAsync(registration, cancellationToken), StatusCodes.Status201Created);
        });

        app.MapGet("/v1/validators", async (ValidatorRegistry registry, CancellationToken cancellationToken) =>
            Results.Json((await registry.ListAsync(cancellationToken)).Select(ValidatorView.From), ApiJson.Options));

        app.MapGet("/v1/validators/{id}", async (string id, ValidatorRegistry registry, CancellationToken cancellationToken) =>
            await registry.GetAsync(id, cancellationToken) is { } record
                ? Results.Json(ValidatorView.From(record), ApiJson.Options)
                : ApiError.NotFound($"no validator {(id.Length <= 64 ? id : id[..64] + "...")}"));

        app.MapPost("/v1/validators/{id}/unbond", async (string id, HttpContext context, BearerTokens tokens, ValidatorRegistry registry, CancellationToken cancellationToken) =>
        {
            if (tokens.Authorize(context.Request, StakeWriteScope, out var actor) is { } denied)
            {
                return denied;
            }

            // Only whoever registered a validator may take it out; otherwise any stake:write token could unbond everyone.
            if (await registry.GetAsync(id, cancellationToken) is { Operator: { } owner } && owner != actor)
            {
                return Results.Json(new ApiError($"validator {id} was registered by another token; only it may unbond it"), ApiJson.Options,
                    statusCode: StatusCodes.Status403Forbidden);
            }

            return await RegistryResultAsync(() => registry.BeginUnbondingAsync(id, cancellationToken), StatusCodes.Status200OK);
        });

        // Open: a signed pulse and public keys. A validator's own appliance serves this; the validator puts it, unchanged,
        // as 'attestation' into its registration on whichever appliance it stakes with.
        app.MapGet("/v1/attestation", (HttpContext context, PulseChain chain) =>
        {
            if (chain.Latest is not { } latest)
            {
                context.Response.Headers.RetryAfter = "1";
                return ApiError.Unavailable("no pulse yet; retry in a pulse period");
            }

            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                HardwareAttestationJson.WriteValue(json, PulseAttestation.WithKeys(latest, chain.Signers));
            }

            return Results.Bytes(buffer.ToArray(), "application/json");
        });

        app.MapGet("/v1/security/stakeable-leaves", (HttpContext context, AttestedPool pool) =>
        {
            var text = context.Request.Query["count"].ToString();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || count < RegistryOptions.Default.MinEntropyStakeLeaves || count > RegistryOptions.Default.MaxEntropyStakeLeaves)
            {
                return ApiError.BadRequest(
                    $"'count' must be a whole number from {RegistryOptions.Default.MinEntropyStakeLeaves} to {RegistryOptions.Default.MaxEntropyStakeLeaves}");
            }

            if (count > pool.Pool.Capacity)
            {
                return ApiError.BadRequest($"'count' {count} can never be met: the pool holds at most {pool.Pool.Capacity} leaves (Appliance:PoolCapacity)");
            }

            // Leaves first, then the size: a leaf is in the log before it is pooled, so the root at that size commits to all of them.
            var leaves = pool.Pool.NewestIndices(count);
            var size = pool.Log.Size;
            return leaves.Count < count
                ? ApiError.Unavailable($"the pool holds {leaves.Count} unreserved leaves, fewer than {count}; retry later")
                : Results.Json(new StakeableLeaves(size, Convert.ToHexStringLower(pool.Log.RootAt(size)), leaves), ApiJson.Options);
        });

        app.MapPost("/v1/validators/{id}/slash", async (string id, HttpContext context, BearerTokens tokens, ValidatorRegistry registry, CancellationToken cancellationToken) =>
        {
            var (body, actor, error) = await StakingEndpoints.AuthorizedBodyAsync(context, tokens, AdminScope, "{\"slash_id\", \"reason\", \"evidence\"}", cancellationToken);
            if (error is not null)
            {
                return error;
            }

            if (!TryString(body, "slash_id", out var slashId) || slashId.Length is 0 or > 128)
            {
                return ApiError.BadRequest("'slash_id' must be a string of 1-128 characters");
            }

            if (!TryString(body, "reason", out var reason) || reason.Length is 0 or > 1024)
            {
                return ApiError.BadRequest("'reason' must be a string of 1-1024 characters");
            }

            string? evidence = null;
            if (body.TryGetProperty("evidence", out var given) && given.ValueKind != JsonValueKind.Null)
            {
                if (given.ValueKind != JsonValueKind.String)
                {
                    return ApiError.BadRequest("'evidence' must be a string");
                }

                evidence = given.GetString();
            }

            return await RegistryResultAsync(() => registry.SlashAsync(id, new SlashRequest(slashId, reason, actor, evidence), cancellationToken), StatusCodes.Status200OK);
        });
    }

    private static async Task<IResult> RegistryResultAsync(Func<Task<ValidatorRecord>> action, int status)
    {
        try
        {
            return Results.Json(ValidatorView.From(await action()), ApiJson.Options, statusCode: status);
        }
        catch (ValidatorRegistryException e)
        {
            return e.Kind switch
            {
                RegistryErrorKind.NotFound => ApiError.NotFound(e.Message),
                RegistryErrorKind.Conflict => Results.Json(new ApiError(e.Message), ApiJson.Options, statusCode: StatusCodes.Status409Conflict),
                _ => ApiError.BadRequest(e.Message),
            };
        }
    }

    private static ValidatorRegistration ParseRegistration(JsonElement body)
    {
        if (!TryString(body, "id", out var id) || !ValidatorIds.IsValid(id))
        {
            throw new FormatException($"'id' must be a validator id of 1-{ValidatorIds.MaxLength} characters");
        }

        if (!ApiJson.TryUInt128(body, "token_stake", out var tokenStake))
        {
            throw new FormatException("'token_stake' must be a whole number from 0 to 2^128 - 1, as a JSON string or integer");
        }

        var entropy = Object(body, "entropy_stake");
        var commitment = new EntropyStakeCommitment(
            Bytes(entropy, "merkle_root", "entropy_stake.merkle_root", hex: true),
            entropy.TryGetProperty("tree_size", out var size) && size.TryGetInt64(out var treeSize)
                ? treeSize
                : throw new FormatException("'entropy_stake.tree_size' must be an integer"),
            entropy.TryGetProperty("leaf_indices", out var indices) && indices.ValueKind == JsonValueKind.Array
                && indices.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out _))
                ? [.. indices.EnumerateArray().Select(i => i.GetInt64())]
                : throw new FormatException("'entropy_stake.leaf_indices' must be an array of integers"));

        var attestation = Object(body, "attestation");
        if (!TryString(attestation, "appliance_id", out var applianceId))
        {
            throw new FormatException("'attestation.appliance_id' must be a string");
        }

        if (!attestation.TryGetProperty("signatures", out var signatures) || signatures.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("'attestation.signatures' must be an array of {algorithm, key_id, signature}");
        }

        var parsed = new List<AttestationSignature>();
        foreach (var signature in signatures.EnumerateArray())
        {
            if (signature.ValueKind != JsonValueKind.Object || !TryString(signature, "algorithm", out var algorithm) || !TryString(signature, "key_id", out var keyId))
            {
                throw new FormatException("'attestation.signatures' entries need string 'algorithm' and 'key_id'");
            }

            parsed.Add(new AttestationSignature(algorithm, keyId, Bytes(signature, "signature", "attestation.signatures[].signature", hex: false)));
        }

        return new ValidatorRegistration(id, tokenStake, commitment,
            new HardwareAttestation(applianceId, Bytes(attestation, "pulse", "attestation.pulse", hex: false), parsed, ParseKeys(attestation)));
    }

    /// <summary>Optional <c>attestation.keys</c>: another appliance's keys as its <c>GET /v1/keys</c> lists them (extra fields ignored).</summary>
    private static List<AttestationKey>? ParseKeys(JsonElement attestation)
    {
        if (!attestation.TryGetProperty("keys", out var keys) || keys.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() is 0 or > MaxAttestationKeys)
        {
            throw new FormatException($"'attestation.keys' must be an array of 1-{MaxAttestationKeys} {{algorithm, public_key}}");
        }

        return [.. keys.EnumerateArray().Select(k => k.ValueKind == JsonValueKind.Object && TryString(k, "algorithm", out var algorithm)
            ? new AttestationKey(algorithm, Bytes(k, "public_key", "attestation.keys[].public_key", hex: false))
            : throw new FormatException("'attestation.keys' entries need a string 'algorithm' and a base64 'public_key'"))];
    }

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new FormatException($"'{name}' must be an object");

    private static byte[] Bytes(JsonElement parent, string name, string path, bool hex)
    {
        if (!TryString(parent, name, out var text))
        {
            throw new FormatException($"'{path}' must be a {(hex ? "hex" : "base64")} string");
        }

        try
        {
            return hex ? Convert.FromHexString(text) : Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"'{path}' must be a {(hex ? "hex" : "base64")} string");
        }
    }

    private static bool TryString(JsonElement parent, string name, out string value)
    {
        value = "";
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString()!;
        return true;
    }

    /// <summary>Newest unreserved pool leaves and the log root that commits to them: what an entropy stake names.</summary>
    private sealed record StakeableLeaves(long TreeSize, string MerkleRoot, IReadOnlyList<long> LeafIndices);

    /// <summary>A validator as the API shows it: stakes as decimal strings, leaves by index; never the operator token's name.</summary>
    private sealed record ValidatorView(
        string Id, string Status, string TokenStake, string EntropyStakeRoot, long EntropyStakeTreeSize, IReadOnlyList<long> EntropyStakeLeaves,
        string ApplianceId, DateTimeOffset RegisteredAt, DateTimeOffset? UnbondsAt, SlashView? Slash)
    {
        public static ValidatorView From(ValidatorRecord r) => new(
            r.Id, r.Status.ToString(), r.TokenStake.ToString(CultureInfo.InvariantCulture), Convert.ToHexStringLower(r.EntropyStake.MerkleRoot),
            r.EntropyStake.TreeSize, r.EntropyStake.LeafIndices, r.Attestation.ApplianceId, r.RegisteredAt, r.UnbondsAt,
            r.Slash is { } s ? new SlashView(s.SlashId, s.Reason, s.Evidence, s.At, s.BurnedTokenStake.ToString(CultureInfo.InvariantCulture), s.BurnedLeaves.Count) : null);
    }

    private sealed record SlashView(string SlashId, string Reason, string? Evidence, DateTimeOffset At, string BurnedTokenStake, int BurnedLeaves);
}
