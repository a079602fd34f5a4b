using QrngAppliance.Devices.Profiles;

namespace QrngAppliance.Devices.Discovery;

/// <summary>A device found in sysfs that a firmware profile claims.</summary>
/// <param name="Id">Stable source id: model plus a short form of the serial (or of the USB port when there is no serial).</param>
/// <param name="Profile">The profile that matched.</param>
/// <param name="DevicePath">What the driver opens, e.g. <c>/dev/ttyACM0</c>, <c>/dev/tpmrm0</c>, <c>/dev/hwrng</c>.</param>
/// <param name="Serial">The USB serial string, the TPM node name or the hwrng driver name; null when the device has none.</param>
/// <param name="SysfsName">Where it was found, e.g. <c>usb 1-2</c>, for messages.</param>
public sealed record DiscoveredDevice(string Id, FirmwareProfile Profile, string DevicePath, string? Serial, string SysfsName);
