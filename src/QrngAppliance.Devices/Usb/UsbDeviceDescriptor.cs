namespace QrngAppliance.Devices.Usb;

/// <summary>The parts of a USB device descriptor the drivers look at.</summary>
/// <param name="VendorId">idVendor.</param>
/// <param name="ProductId">idProduct.</param>
/// <param name="BcdDevice">bcdDevice, the device release number (firmware version on most devices).</param>
/// <param name="SerialNumberIndex">iSerialNumber; 0 when the device has no serial string.</param>
public sealed record UsbDeviceDescriptor(ushort VendorId, ushort ProductId, ushort BcdDevice, byte SerialNumberIndex);
