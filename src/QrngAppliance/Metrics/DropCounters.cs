namespace QrngAppliance.Metrics;

/// <summary>Why a measurement was not aggregated.</summary>
internal enum DropReason
{
    /// <summary>The instrument already has the maximum number of series.</summary>
    SeriesLimit,

    /// <summary>A tag key is invalid, reserved (<c>le</c>, <c>quantile</c>, <c>__*</c>) or repeated.</summary>
    InvalidLabel,

    /// <summary>A negative or non-finite counter increment, or a non-finite histogram observation.</summary>
    InvalidValue,
}

/// <summary>Counts dropped measurements per <see cref="DropReason"/>, exported so that a drop is visible.</summary>
internal sealed class DropCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<DropReason>().Length];

    public void Add(DropReason reason) => Interlocked.Increment(ref _counts[(int)reason]);

    public long Get(DropReason reason) => Interlocked.Read(ref _counts[(int)reason]);
}
