using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Staking.Selection;

namespace QrngAppliance.Staking.Registry;

/// <summary>
/// Registration, slashing and unbonding of validators (docs/staking.md, "Validator registry"). Reserving,
/// burning and releasing the entropy stake goes through the once-only ledger, so staked leaves are never
/// consumed and slashed leaves are durably unusable.
/// </summary>
public sealed class ValidatorRegistry
{
    private readonly IValidatorRegistryStore _store;
    private readonly IEntropyLeafLedger _ledger;
    private readonly HardwareAttestationVerifier _verifyAttestation;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;

    // Registry changes are rare; one writer at a time keeps reserve-then-store and burn-then-store ordered.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public ValidatorRegistry(
        IValidatorRegistryStore store,
        IEntropyLeafLedger ledger,
        HardwareAttestationVerifier verifyAttestation,
        RegistryOptions options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(verifyAttestation);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _ledger = ledger;
        _verifyAttestation = verifyAttestation;
        _options = options;
        _time = time;
    }

    public async Task<ValidatorRecord> RegisterAsync(ValidatorRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await ValidateAsync(registration, cancellationToken);
            // Checked before reserving: reserved leaves that end up unused cannot go back (the ledger is append-only).
            if (await _store.GetAsync(registration.Id, cancellationToken) is not null)
            {
                throw AlreadyRegistered(registration.Id);
            }

            var leaves = registration.EntropyStake.LeafIndices;
            var unavailable = await _ledger.ReserveAsync(registration.Id, leaves, cancellationToken);
            if (unavailable.Count > 0)
            {
                throw Invalid($"entropy stake leaves are not available (consumed, reserved or burned): {Describe(unavailable)}");
            }

            var record = new ValidatorRecord(registration.Id, registration.TokenStake, registration.EntropyStake with { LeafIndices = [.. leaves] },
                registration.Attestation, ValidatorStatus.Active, _time.GetUtcNow(), null, null, 1, registration.Operator);
            if (!await _store.TryAddAsync(record, cancellationToken))
            {
                // Only another registry instance on the same store gets here. The ledger keys a stake by validator id, so
                // whatever it reserved under this id belongs to the validator that won; releasing it would end that stake.
                throw AlreadyRegistered(registration.Id);
            }

            return record;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Burns the whole token stake and exactly the reserved leaves. Allowed while Active or Unbonding; repeating
    /// a request with the same slash id returns the recorded slash.
    /// </summary>
    public async Task<ValidatorRecord> SlashAsync(string id, SlashRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.SlashId) || string.IsNullOrWhiteSpace(request.Reason) || string.IsNullOrWhiteSpace(request.Actor))
        {
            throw Invalid("a slash needs a slash id, a reason and an actor");
        }

        await _writer.WaitAsync(cancellationToken);
        try
        {
            var record = await RequireAsync(id, cancellationToken);
            switch (record.Status)
            {
                case ValidatorStatus.Slashed when record.Slash?.SlashId == request.SlashId:
                    return record;
                case ValidatorStatus.Slashed:
                    throw new ValidatorRegistryException(RegistryErrorKind.Conflict, $"validator {id} was already slashed ({record.Slash?.SlashId})");
                case ValidatorStatus.Unbonded:
                    throw new ValidatorRegistryException(RegistryErrorKind.Conflict, $"validator {id} has unbonded; nothing is left to slash");
            }

            var leaves = record.EntropyStake.LeafIndices;
            // Burn first: if the store update then fails, a retry with the same slash id burns again (a no-op) and records it.
            await _ledger.BurnAsync(id, leaves, $"slash {request.SlashId}: {request.Reason}", cancellationToken);
            var slash = new SlashRecord(request.SlashId, request.Reason, request.Actor, request.Evidence, _time.GetUtcNow(), record.TokenStake, leaves);
            var slashed = record with { Status = ValidatorStatus.Slashed, TokenStake = UInt128.Zero, Slash = slash, Version = record.Version + 1 };
            return await UpdateAsync(slashed, cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Stops selection of an Active validator; its stake is released after <see cref="RegistryOptions.UnbondingDelay"/>.</summary>
    public async Task<ValidatorRecord> BeginUnbondingAsync(string id, CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var record = await RequireAsync(id, cancellationToken);
            if (record.Status != ValidatorStatus.Active)
            {
                throw new ValidatorRegistryException(RegistryErrorKind.Conflict, $"validator {id} is {record.Status}, not Active");
            }

            var unbonding = record with
            {
                Status = ValidatorStatus.Unbonding,
                UnbondsAt = _time.GetUtcNow() + _options.UnbondingDelay,
                Version = record.Version + 1,
            };
            return await UpdateAsync(unbonding, cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Releases the stake of every Unbonding validator whose delay has passed; returns them.</summary>
    public async Task<IReadOnlyList<ValidatorRecord>> CompleteMaturedUnbondingsAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            var completed = new List<ValidatorRecord>();
            foreach (var record in await _store.ListAsync(cancellationToken))
            {
                if (record.Status == ValidatorStatus.Unbonding && record.UnbondsAt <= now)
                {
                    try
                    {
                        await _ledger.ReleaseAsync(record.Id, record.EntropyStake.LeafIndices, cancellationToken);
                    }
                    catch (InvalidOperationException)
                    {
                        // Its stake already ended otherwise: a slash burned it and stopped before storing the record.
                        // Repeating that slash completes it; releasing now would hand back a burned stake.
                        continue;
                    }

                    completed.Add(await UpdateAsync(record with { Status = ValidatorStatus.Unbonded, Version = record.Version + 1 }, cancellationToken));
                }
            }

            return completed;
        }
        finally
        {
            _writer.Release();
        }
    }

    public ValueTask<ValidatorRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => _store.GetAsync(id, cancellationToken);

    /// <summary>Every validator ever registered, ordered by id.</summary>
    public ValueTask<IReadOnlyList<ValidatorRecord>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>The Active validators weighted by token stake: the candidates for selection now.</summary>
    public async Task<ValidatorSet> ActiveSetAsync(CancellationToken cancellationToken = default)
    {
        var records = await _store.ListAsync(cancellationToken);
        return new ValidatorSet(records.Where(r => r.Status == ValidatorStatus.Active).Select(r => new WeightedValidator(r.Id, r.TokenStake)));
    }

    private async Task ValidateAsync(ValidatorRegistration registration, CancellationToken cancellationToken)
    {
        if (!ValidatorIds.IsValid(registration.Id))
        {
            throw Invalid($"validator id must be 1-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit; got '{Truncate(registration.Id)}'");
        }

        if (registration.TokenStake < _options.MinTokenStake)
        {
            throw Invalid($"token stake must be at least {_options.MinTokenStake}, got {registration.TokenStake}");
        }

        var stake = registration.EntropyStake ?? throw Invalid("entropy stake is missing");
        var leaves = stake.LeafIndices ?? [];
        if (stake.MerkleRoot is not { Length: 32 })
        {
            throw Invalid("entropy stake Merkle root must be 32 bytes (SHA-256)");
        }

        if (stake.TreeSize <= 0)
        {
            throw Invalid("entropy stake tree size must be positive");
        }

        if (leaves.Count < _options.MinEntropyStakeLeaves || leaves.Count > _options.MaxEntropyStakeLeaves)
        {
            throw Invalid($"entropy stake must commit {_options.MinEntropyStakeLeaves}..{_options.MaxEntropyStakeLeaves} leaves "
                + $"({_options.MinEntropyStakeLeaves * (long)_options.BitsPerLeaf} bits minimum), got {leaves.Count}");
        }

        if (leaves.Distinct().Count() != leaves.Count)
        {
            throw Invalid("entropy stake lists a leaf more than once");
        }

        var outside = leaves.Where(l => l < 0 || l >= stake.TreeSize).ToList();
        if (outside.Count > 0)
        {
            throw Invalid($"entropy stake leaves outside the committed tree of size {stake.TreeSize}: {Describe(outside)}");
        }

        if (!await _ledger.IsPublishedRootAsync(stake.MerkleRoot, stake.TreeSize, cancellationToken))
        {
            throw Invalid($"entropy stake Merkle root is not a root the pool published at tree size {stake.TreeSize}");
        }

        await ValidateAttestationAsync(registration, cancellationToken);
    }

    private async Task ValidateAttestationAsync(ValidatorRegistration registration, CancellationToken cancellationToken)
    {
        var attestation = registration.Attestation ?? throw Invalid("hardware attestation is missing");
        if (attestation.StructuralProblem() is { } problem)
        {
            throw Invalid(problem);
        }

        var verdict = _verifyAttestation(attestation);
        if (!verdict.IsValid)
        {
            throw Invalid($"hardware attestation does not verify: {verdict.Reason ?? "no reason given"}");
        }

        var now = _time.GetUtcNow();
        if (verdict.PulseTime is not { } pulseTime || now - pulseTime > _options.MaxAttestationAge || pulseTime - now > _options.MaxClockSkew)
        {
            throw Invalid($"hardware attestation pulse must be from the last {_options.MaxAttestationAge} (pulse time {verdict.PulseTime:O}, now {now:O})");
        }

        var keyIds = KeyIdsOf(attestation);
        foreach (var other in await _store.ListAsync(cancellationToken))
        {
            if (other.Attestation.ApplianceId != attestation.ApplianceId || other.Id == registration.Id)
            {
                continue;
            }

            if (other.Status is ValidatorStatus.Active or ValidatorStatus.Unbonding)
            {
                throw new ValidatorRegistryException(RegistryErrorKind.Conflict,
                    $"appliance {attestation.ApplianceId} already attests validator {other.Id}");
            }

            // Trust on first use: an appliance id keeps the keys it first attested with, so nobody can claim it with new ones.
            if (!KeyIdsOf(other.Attestation).SetEquals(keyIds))
            {
                throw new ValidatorRegistryException(RegistryErrorKind.Conflict,
                    $"appliance {attestation.ApplianceId} attested validator {other.Id} with other keys; an appliance id is pinned to its first keys");
            }
        }
    }

    private async Task<ValidatorRecord> RequireAsync(string id, CancellationToken cancellationToken) =>
        await _store.GetAsync(id, cancellationToken)
        ?? throw new ValidatorRegistryException(RegistryErrorKind.NotFound, $"no validator {Truncate(id)}");

    private async Task<ValidatorRecord> UpdateAsync(ValidatorRecord record, CancellationToken cancellationToken) =>
        await _store.TryUpdateAsync(record, cancellationToken)
            ? record
            : throw new ValidatorRegistryException(RegistryErrorKind.Conflict, $"validator {record.Id} changed concurrently; retry");

    private static HashSet<string> KeyIdsOf(HardwareAttestation attestation) =>
        attestation.Signatures.Select(s => s.Algorithm + ":" + s.KeyId).ToHashSet(StringComparer.Ordinal);

    private static ValidatorRegistryException Invalid(string message) => new(RegistryErrorKind.Invalid, message);

    private static ValidatorRegistryException AlreadyRegistered(string id) => new(RegistryErrorKind.Conflict, $"validator {id} is already registered");

    private static string Describe(IReadOnlyList<long> leaves) =>
        string.Join(", ", leaves.Take(8)) + (leaves.Count > 8 ? $" and {leaves.Count - 8} more" : string.Empty);

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "...";
}
