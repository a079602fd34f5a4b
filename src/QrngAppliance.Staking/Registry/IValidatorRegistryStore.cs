namespace QrngAppliance.Staking.Registry;

/// <summary>Durable storage of validator records (Storage implements it over SQLite/PostgreSQL).</summary>
public interface IValidatorRegistryStore
{
    ValueTask<ValidatorRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>All records, ordered by id (ordinal).</summary>
    ValueTask<IReadOnlyList<ValidatorRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a new record; false if the id exists.</summary>
    ValueTask<bool> TryAddAsync(ValidatorRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces the record whose version is <c>record.Version − 1</c>; false if it changed meanwhile.</summary>
    ValueTask<bool> TryUpdateAsync(ValidatorRecord record, CancellationToken cancellationToken = default);
}
