namespace QrngAppliance.Devices.Profiles;

/// <summary>A firmware image we trust: its version label and the SHA-256 of the image, lower-case hex.</summary>
public sealed record FirmwareHash(string Version, string Sha256);
