using System.Globalization;
using System.Text.Json;
using QrngAppliance.Pipeline;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Ledger;
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

    private const string RegistrationShape =
        "{\"id\", \"token_stake\", \"entropy_stake\": {\"merkle_root\", \"tree_size\", \"leaf_indices\"}, \"attestation\": {\"appliance_id\", \"pulse\", \"signatures\"}}";

    public static void MapValidatorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/validators", async (HttpContext context, BearerTokens tokens, ValidatorRegistry registry, InMemoryEntropyLeafLedger leaves, AttestedPool pool, CancellationToken cancellationToken) =>
        {
            if (tokens.Authorize(context.Request, StakeWriteScope) is { } denied)
            {
                return denied;
            }

            var (body, error) = await StakingEndpoints.ReadBodyAsync(context.Request, RegistrationShape, cancellationToken, MaxRegistrationBytes);
            if (error is not null)
            {
                return error;
            }

            ValidatorRegistration registration;
            try
            {
                registration = ParseRegistration(body!.Value);
            }
            catch (FormatException e)
            {
                return ApiError.BadRequest(e.Message);
            }

            // An entropy stake commits to a root of the pool's append-only log at the size it names. Publishing the
            // log's own root at that size (never the caller's) lets a stake use any earlier pulse's root, not only a
            // root that is still the latest when the request lands; a forged root still fails the comparison.
            var size = registration.EntropyStake.TreeSize;
            if (size >= 1 && size <= pool.Log.Size && size >= leaves.TreeSize)
            {
                leaves.Publish(pool.Log.RootAt(size), size);
            }

            return await RegistryResultAsync(() => registry.RegisterAsync(registration, cancellationToken), StatusCodes.Status201Created);
        });

        app.MapPost("/v1/validators/{id}/slash", async (string id, HttpContext context, BearerTokens tokens, ValidatorRegistry registry, CancellationToken cancellationToken) =>
        {
            if (tokens.Authorize(context.Request, AdminScope, out var actor) is { } denied)
            {
                return denied;
            }

            var (body, error) = await StakingEndpoints.ReadBodyAsync(context.Request, "{\"slash_id\", \"reason\", \"evidence\"}", cancellationToken);
            if (error is not null)
            {
                return error;
            }

            if (!TryString(body!.Value, "slash_id", out var slashId) || slashId.Length is 0 or > 128)
            {
                return ApiError.BadRequest("'slash_id' must be a string of 1-128 characters");
            }

            if (!TryString(body.Value, "reason", out var reason) || reason.Length is 0 or > 1024)
            {
                return ApiError.BadRequest("'reason' must be a string of 1-1024 characters");
            }

            string? evidence = null;
            if (body.Value.TryGetProperty("evidence", out var given) && given.ValueKind != JsonValueKind.Null)
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

        var stakeText = body.TryGetProperty("token_stake", out var stake) && stake.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (stake.ValueKind == JsonValueKind.String ? stake.GetString() : stake.GetRawText())
            : null;
        if (stakeText is null || !stakeText.All(char.IsAsciiDigit) || stakeText.Length == 0
            || !UInt128.TryParse(stakeText, NumberStyles.None, CultureInfo.InvariantCulture, out var tokenStake))
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
            new HardwareAttestation(applianceId, Bytes(attestation, "pulse", "attestation.pulse", hex: false), parsed));
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

    /// <summary>A validator as the API shows it: stakes as decimal strings, leaves by index.</summary>
    private sealed record ValidatorView(string Id, string Status, string TokenStake, IReadOnlyList<long> EntropyStakeLeaves, DateTimeOffset RegisteredAt, string? SlashId)
    {
        public static ValidatorView From(ValidatorRecord r) => new(
            r.Id, r.Status.ToString(), r.TokenStake.ToString(CultureInfo.InvariantCulture), r.EntropyStake.LeafIndices, r.RegisteredAt, r.Slash?.SlashId);
    }
}
