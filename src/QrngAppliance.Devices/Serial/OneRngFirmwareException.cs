namespace QrngAppliance.Devices.Serial;

/// <summary>The OneRNG firmware dump was missing, malformed, or its hash is not one the profile trusts.</summary>
public sealed class OneRngFirmwareException(string message) : IOException(message);
