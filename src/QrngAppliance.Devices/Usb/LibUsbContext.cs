using QrngAppliance.Devices.Interop;

namespace QrngAppliance.Devices.Usb;

/// <summary>
/// A libusb session (libusb_init … libusb_exit). Open devices with <see cref="LibUsbTransport.TryOpen"/>;
/// dispose the context after every transport opened from it.
/// </summary>
public sealed class LibUsbContext : IDisposable
{
    private nint _context;

    private LibUsbContext(nint context) => _context = context;

    internal nint Handle => _context != 0 ? _context : throw new ObjectDisposedException(nameof(LibUsbContext));

    /// <summary>Initialises libusb.</summary>
    /// <exception cref="UsbTransportException">libusb_init failed.</exception>
    /// <exception cref="DllNotFoundException">libusb-1.0.so.0 is not installed (Debian: libusb-1.0-0).</exception>
    public static LibUsbContext Create()
    {
        int rc = LibUsbNative.Init(out nint context);
        return rc == LibUsbNative.Success
            ? new LibUsbContext(context)
            : throw new UsbTransportException(rc, $"libusb_init: {LibUsbNative.Describe(rc)}");
    }

    /// <summary>The descriptors of every device on the bus (empty in a sandbox without USB).</summary>
    public IReadOnlyList<UsbDeviceDescriptor> ListDevices()
    {
        nint count = LibUsbNative.GetDeviceList(Handle, out nint list);
        if (count < 0)
        {
            throw new UsbTransportException((int)count, $"libusb_get_device_list: {LibUsbNative.Describe((int)count)}");
        }

        try
        {
            var devices = new List<UsbDeviceDescriptor>((int)count);
            for (int i = 0; i < count; i++)
            {
                nint device = System.Runtime.InteropServices.Marshal.ReadIntPtr(list, i * nint.Size);
                if (LibUsbNative.GetDeviceDescriptor(device, out LibUsbDeviceDescriptor d) == LibUsbNative.Success)
                {
                    devices.Add(new UsbDeviceDescriptor(d.VendorId, d.ProductId, d.BcdDevice, d.SerialNumberIndex));
                }
            }

            return devices;
        }
        finally
        {
            LibUsbNative.FreeDeviceList(list, unrefDevices: 1);
        }
    }

    public void Dispose()
    {
        nint context = Interlocked.Exchange(ref _context, 0);
        if (context != 0)
        {
            LibUsbNative.Exit(context);
        }
    }
}
