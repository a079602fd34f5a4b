namespace QrngAppliance.Pipeline;

/// <summary>Discards pipeline measurements (for tools and tests that export no metrics).</summary>
public sealed class NullPipelineMetrics : IPipelineMetrics
{
    public void RecordBytesRead(string source, long bytes)
    {
    }

    public void RecordHealthFailure(string source, string test)
    {
    }

    public void RecordLeavesAppended(long count)
    {
    }

    public void RecordPulse()
    {
    }

    public void RecordEntropyServed(long bytes)
    {
    }
}
