namespace QrngAppliance.Configuration;

/// <summary>A configuration error that stops startup with one message naming the key and the problem.</summary>
public sealed class ConfigurationException(string key, string problem) : Exception($"configuration error: {key}: {problem}")
{
    public string Key { get; } = key;
}
