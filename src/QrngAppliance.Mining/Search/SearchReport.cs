namespace QrngAppliance.Mining.Search;

/// <summary>What one search did.</summary>
/// <param name="HashesDone">Nonces hashed (all lanes counted).</param>
/// <param name="Completed">False when cancelled before the range was exhausted.</param>
/// <param name="WorkerCpuSeconds">CPU time of the worker threads, for hashes per CPU-second on a shared machine.</param>
public sealed record SearchReport(
    long HashesDone,
    IReadOnlyList<FoundNonce> Found,
    bool Completed,
    NonceSeed Seed,
    int Partitions,
    TimeSpan Elapsed,
    double WorkerCpuSeconds);
