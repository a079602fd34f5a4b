namespace QrngAppliance.Devices.Profiles;

/// <summary>
/// What the appliance knows about one device model, loaded from <c>firmware-profiles/&lt;model&gt;.json</c>
/// (rules in <c>profile.schema.json</c>, enforced by <see cref="FirmwareProfileLoader"/>).
/// </summary>
/// <param name="Model">Short, metric-label-safe model id, e.g. <c>truerng-v3</c>.</param>
/// <param name="Transport">serial, usb, tpm, hwrng, cpu or adc.</param>
/// <param name="Usb">USB identity for discovery; required for serial and usb transports.</param>
/// <param name="Serial">Port settings; required for the serial transport.</param>
/// <param name="SampleBits">Bits per raw sample, 1..8.</param>
/// <param name="MinEntropyPerSample">Claimed min-entropy per sample, H, in (0, SampleBits].</param>
/// <param name="ExpectedRate">The rate a healthy device delivers; outside it is worth a warning.</param>
/// <param name="KnownFirmwareHashes">Firmware images we have seen and trust (empty when the device cannot be read back).</param>
/// <param name="Notes">Why H and the rate are what they are, with sources.</param>
/// <param name="SourceFile">File name the profile came from (for messages), e.g. <c>truerng-v3.json</c>.</param>
public sealed record FirmwareProfile(
    string Model,
    string Transport,
    UsbIdentity? Usb,
    SerialSettings? Serial,
    int SampleBits,
    double MinEntropyPerSample,
    ExpectedRate ExpectedRate,
    IReadOnlyList<FirmwareHash> KnownFirmwareHashes,
    string Notes,
    string SourceFile)
{
    /// <summary>How the noise circuit is wired to its ADC; set exactly when the transport is <c>adc</c>.</summary>
    public AdcSettings? Adc { get; init; }

    /// <summary>The floor when the profile does not set one: three quarters of the claimed H.</summary>
    public const double DefaultFloorFraction = 0.75;

    /// <summary>The profile's <c>min_entropy_floor</c>, when it sets one (validated in (0, H]).</summary>
    public double? MinEntropyFloorOverride { get; init; }

    /// <summary>
    /// Below this online estimate (bits per sample) the source is quarantined; between it and H, windows are credited
    /// at the estimate.
    /// </summary>
    public double MinEntropyFloor => MinEntropyFloorOverride ?? DefaultFloorFraction * MinEntropyPerSample;
}
