namespace QrngAppliance.Mining.Stratum;

/// <summary>A job together with the extranonce the session had when the pool sent it (set_extranonce applies to
/// the jobs after it), which is what its shares must be built and submitted with.</summary>
internal sealed record PoolWork(StratumJob Job, string Extranonce1, int Extranonce2Size)
{
    public ulong MaxExtranonce2 => Extranonce2Size >= 8 ? ulong.MaxValue : (1UL << (8 * Extranonce2Size)) - 1;

    /// <summary>Identifies the work space across reconnects: the same job under the same extranonce1 on one pool.</summary>
    public string ResumeKey(string pool) => $"{pool}\n{Job.JobId}\n{Extranonce1}\n{Extranonce2Size}";
}
