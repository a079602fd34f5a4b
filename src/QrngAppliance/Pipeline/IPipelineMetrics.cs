namespace QrngAppliance.Pipeline;

/// <summary>What the pipeline reports as it runs; implemented over the appliance's metric instruments.</summary>
public interface IPipelineMetrics
{
    void RecordBytesRead(string source, long bytes);

    void RecordHealthFailure(string source, string test);

    void RecordLeavesAppended(long count);

    void RecordPulse();

    void RecordEntropyServed(long bytes);
}
