namespace QrngAppliance.Configuration;

/// <summary>One configured entropy source.</summary>
public sealed class SourceOptions
{
    /// <summary>Short id used in metrics, pulses and the API, e.g. <c>truerng0</c> ([a-z0-9_-], 1..32).</summary>
    public string Id { get; set; } = "";

    /// <summary>Firmware-profile model, e.g. <c>truerng-v3</c>.</summary>
    public string Profile { get; set; } = "";

    /// <summary>Device path, e.g. <c>/dev/ttyACM0</c>.</summary>
    public string Path { get; set; } = "";
}
