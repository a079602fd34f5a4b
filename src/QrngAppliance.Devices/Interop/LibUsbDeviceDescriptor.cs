using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary><c>struct libusb_device_descriptor</c>: the 18-byte USB device descriptor, host byte order (DEVICES.md §4).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct LibUsbDeviceDescriptor
{
    public byte Length;
    public byte DescriptorType;
    public ushort BcdUsb;
    public byte DeviceClass;
    public byte DeviceSubClass;
    public byte DeviceProtocol;
    public byte MaxPacketSize0;
    public ushort VendorId;
    public ushort ProductId;
    public ushort BcdDevice;
    public byte ManufacturerIndex;
    public byte ProductIndex;
    public byte SerialNumberIndex;
    public byte NumConfigurations;
}
