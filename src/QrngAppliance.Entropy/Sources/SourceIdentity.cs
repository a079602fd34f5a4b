namespace QrngAppliance.Entropy.Sources;

/// <summary>Identity of a source as shown in the API, metrics (<see cref="Id"/> only) and pulses.</summary>
/// <param name="Id">Stable, short, metric-label-safe id, e.g. <c>truerng0</c>.</param>
/// <param name="Model">Firmware-profile model name, e.g. <c>truerng-v3</c>.</param>
/// <param name="Transport">serial, usb, tpm, hwrng.</param>
public sealed record SourceIdentity(string Id, string Model, string Transport, string? Serial = null, string? Firmware = null);
