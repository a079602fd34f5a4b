using QrngAppliance.Entropy.Assessment;

namespace QrngAppliance.Cli;

/// <summary>A one-line "phase: [done/total] step" indicator for long runs, redrawn in place on a terminal.</summary>
internal sealed class TerminalProgress(TextWriter writer, string phase) : IProgress<AssessmentProgress>
{
    private readonly Lock _lock = new();

    public void Start()
    {
        lock (_lock)
        {
            writer.Write($"\r{phase}: starting...");
            writer.Flush();
        }
    }

    public void Report(AssessmentProgress value)
    {
        lock (_lock)
        {
            writer.Write($"\r\u001b[K{phase}: [{value.Done}/{value.Total}] {value.Step}");
            writer.Flush();
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            writer.Write("\r\u001b[K");
            writer.Flush();
        }
    }
}
