namespace QrngAppliance.Pipeline;

/// <summary>What the pipeline reports as it runs; implemented over the appliance's metric instruments.</summary>
public interface IPipelineMetrics
{
    void RecordBytesRead(string source, long bytes);

    /// <summary>How long one read call on <paramref name="source"/> took, waiting for the device included.</summary>
    void ObserveReadDuration(string source, TimeSpan elapsed);

    void RecordHealthFailure(string source, string test);

    /// <summary>The source's online lower-bound min-entropy estimate, in bits per sample, after an estimated block.</summary>
    void RecordMinEntropyEstimate(string source, double bitsPerSample);

    void RecordLeavesAppended(long count);

    /// <summary>A window that passed every health test was not pooled, for <paramref name="reason"/> (e.g. <c>pool_full</c>).</summary>
    void RecordWindowDropped(string source, string reason);

    void RecordPulse();

    void RecordEntropyServed(long bytes);
}
