namespace QrngAppliance.Entropy.Sources;

/// <summary>Where a source stands in the pipeline.</summary>
public enum SourceState
{
    /// <summary>Opened; the 1024-sample startup test has not passed yet. Nothing is released.</summary>
    Starting,

    /// <summary>Passed startup and every continuous test since; samples flow to the conditioner.</summary>
    Healthy,

    /// <summary>A health test failed; the failing window was discarded. Re-enters only after a fresh startup test.</summary>
    Quarantined,

    /// <summary>The device went away; it is reopened when it returns.</summary>
    Disconnected,
}
