namespace QrngAppliance.Staking.Registry;

/// <summary>A process-lifetime <see cref="IValidatorRegistryStore"/> (tests, and the service until Storage supplies a durable one).</summary>
public sealed class InMemoryValidatorRegistryStore : IValidatorRegistryStore
{
    private readonly SortedDictionary<string, ValidatorRecord> _records = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ValueTask<ValidatorRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_records.GetValueOrDefault(id));
        }
    }

    public ValueTask<IReadOnlyList<ValidatorRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<ValidatorRecord>>([.. _records.Values]);
        }
    }

    public ValueTask<bool> TryAddAsync(ValidatorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            return ValueTask.FromResult(_records.TryAdd(record.Id, record));
        }
    }

    public ValueTask<bool> TryUpdateAsync(ValidatorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            if (!_records.TryGetValue(record.Id, out var current) || current.Version != record.Version - 1)
            {
                return ValueTask.FromResult(false);
            }

            _records[record.Id] = record;
            return ValueTask.FromResult(true);
        }
    }
}
