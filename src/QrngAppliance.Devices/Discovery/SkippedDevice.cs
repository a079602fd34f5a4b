namespace QrngAppliance.Devices.Discovery;

/// <summary>A device discovery saw but will not use, and why (e.g. <c>no profile for 1d50:6086 "OneRNG"</c>).</summary>
/// <param name="SysfsName">Where it was seen, e.g. <c>usb 1-2</c> or <c>/dev/ttyACM1</c>.</param>
/// <param name="Reason">One line an operator can act on.</param>
public sealed record SkippedDevice(string SysfsName, string Reason);
