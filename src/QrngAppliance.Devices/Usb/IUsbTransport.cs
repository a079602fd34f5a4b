namespace QrngAppliance.Devices.Usb;

/// <summary>
/// The seam between a USB driver and the bus: the synchronous libusb calls a bulk-transfer QRNG needs.
/// <see cref="LibUsbTransport"/> goes to real hardware; hwsim's simulated Quantis and ChaosKey implement it
/// in-process, since this sandbox has no USB bus (DEVICES.md §4). Calls block; drivers run them off the caller's thread.
/// All failures are <see cref="UsbTransportException"/>.
/// </summary>
public interface IUsbTransport : IDisposable
{
    /// <summary>The device descriptor.</summary>
    UsbDeviceDescriptor Descriptor { get; }

    /// <summary>The iSerialNumber string, or null when the device has none.</summary>
    string? SerialNumber { get; }

    /// <summary>libusb_set_configuration.</summary>
    void SetConfiguration(int configuration);

    /// <summary>libusb_claim_interface (detaching a kernel driver first where the transport can).</summary>
    void ClaimInterface(int interfaceNumber);

    /// <summary>libusb_release_interface.</summary>
    void ReleaseInterface(int interfaceNumber);

    /// <summary>A device-to-host control transfer (bit 7 of <paramref name="requestType"/> set); returns the bytes received.</summary>
    int ControlIn(byte requestType, byte request, ushort value, ushort index, Span<byte> data, TimeSpan timeout);

    /// <summary>A host-to-device control transfer (bit 7 of <paramref name="requestType"/> clear).</summary>
    void ControlOut(byte requestType, byte request, ushort value, ushort index, ReadOnlySpan<byte> data, TimeSpan timeout);

    /// <summary>
    /// A bulk IN transfer from <paramref name="endpoint"/>; returns the bytes received, 0 when the timeout passed
    /// with nothing (libusb reports a timeout that still carried data as success with that data).
    /// </summary>
    int BulkRead(byte endpoint, Span<byte> data, TimeSpan timeout);
}
