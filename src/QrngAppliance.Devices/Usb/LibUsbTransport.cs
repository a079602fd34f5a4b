using System.Text;
using QrngAppliance.Devices.Interop;

namespace QrngAppliance.Devices.Usb;

/// <summary><see cref="IUsbTransport"/> over libusb-1.0's synchronous API, for a real device.</summary>
public sealed unsafe class LibUsbTransport : IUsbTransport
{
    private nint _handle;

    private LibUsbTransport(nint handle, UsbDeviceDescriptor descriptor, string? serialNumber)
    {
        _handle = handle;
        Descriptor = descriptor;
        SerialNumber = serialNumber;
    }

    public UsbDeviceDescriptor Descriptor { get; }

    public string? SerialNumber { get; }

    /// <summary>
    /// Opens the first device with <paramref name="vendorId"/>:<paramref name="productId"/>, or returns null when
    /// there is none (the normal answer in CI). Kernel drivers (e.g. <c>chaoskey</c>) are detached automatically
    /// when an interface is claimed.
    /// </summary>
    /// <exception cref="UsbTransportException">The device exists but cannot be opened (e.g. LIBUSB_ERROR_ACCESS).</exception>
    public static LibUsbTransport? TryOpen(LibUsbContext context, ushort vendorId, ushort productId)
    {
        ArgumentNullException.ThrowIfNull(context);
        nint count = LibUsbNative.GetDeviceList(context.Handle, out nint list);
        if (count < 0)
        {
            throw new UsbTransportException((int)count, $"libusb_get_device_list: {LibUsbNative.Describe((int)count)}");
        }

        try
        {
            // Enumerated rather than libusb_open_device_with_vid_pid so an open failure (permissions) is reported, not null.
            for (int i = 0; i < count; i++)
            {
                nint device = System.Runtime.InteropServices.Marshal.ReadIntPtr(list, i * nint.Size);
                if (LibUsbNative.GetDeviceDescriptor(device, out LibUsbDeviceDescriptor d) != LibUsbNative.Success
                    || d.VendorId != vendorId || d.ProductId != productId)
                {
                    continue;
                }

                int rc = LibUsbNative.Open(device, out nint handle);
                if (rc != LibUsbNative.Success)
                {
                    throw new UsbTransportException(rc, $"libusb_open {vendorId:x4}:{productId:x4}: {LibUsbNative.Describe(rc)}");
                }

                // Not fatal where unsupported (LIBUSB_ERROR_NOT_SUPPORTED on non-Linux back-ends).
                _ = LibUsbNative.SetAutoDetachKernelDriver(handle, 1);
                string? serial = d.SerialNumberIndex == 0 ? null : ReadString(handle, d.SerialNumberIndex);
                return new LibUsbTransport(handle, new UsbDeviceDescriptor(d.VendorId, d.ProductId, d.BcdDevice, d.SerialNumberIndex), serial);
            }

            return null;
        }
        finally
        {
            LibUsbNative.FreeDeviceList(list, unrefDevices: 1);
        }
    }

    public void SetConfiguration(int configuration) =>
        Check(LibUsbNative.SetConfiguration(Handle, configuration), $"set configuration {configuration}");

    public void ClaimInterface(int interfaceNumber) =>
        Check(LibUsbNative.ClaimInterface(Handle, interfaceNumber), $"claim interface {interfaceNumber}");

    public void ReleaseInterface(int interfaceNumber) =>
        Check(LibUsbNative.ReleaseInterface(Handle, interfaceNumber), $"release interface {interfaceNumber}");

    public int ControlIn(byte requestType, byte request, ushort value, ushort index, Span<byte> data, TimeSpan timeout)
    {
        fixed (byte* p = data)
        {
            int rc = LibUsbNative.ControlTransfer(Handle, requestType, request, value, index, p, checked((ushort)data.Length), Milliseconds(timeout));
            Check(rc, $"control IN 0x{request:x2}");
            return rc;
        }
    }

    public void ControlOut(byte requestType, byte request, ushort value, ushort index, ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        fixed (byte* p = data)
        {
            Check(LibUsbNative.ControlTransfer(Handle, requestType, request, value, index, p, checked((ushort)data.Length), Milliseconds(timeout)),
                $"control OUT 0x{request:x2}");
        }
    }

    public int BulkRead(byte endpoint, Span<byte> data, TimeSpan timeout)
    {
        fixed (byte* p = data)
        {
            int rc = LibUsbNative.BulkTransfer(Handle, endpoint, p, data.Length, out int transferred, Milliseconds(timeout));
            // A timeout can still carry a partial transfer (libusb docs): the data is good, so return it.
            if (rc == LibUsbNative.ErrorTimeout)
            {
                return transferred;
            }

            Check(rc, $"bulk IN 0x{endpoint:x2}");
            return transferred;
        }
    }

    public void Dispose()
    {
        nint handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0)
        {
            LibUsbNative.Close(handle);
        }
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(LibUsbTransport));

    private static uint Milliseconds(TimeSpan timeout) => (uint)Math.Clamp(timeout.TotalMilliseconds, 1, uint.MaxValue);

    private void Check(int rc, string operation)
    {
        if (rc < 0)
        {
            throw new UsbTransportException(rc, $"{Descriptor.VendorId:x4}:{Descriptor.ProductId:x4} {operation}: {LibUsbNative.Describe(rc)}");
        }
    }

    private static string? ReadString(nint handle, byte index)
    {
        byte* buffer = stackalloc byte[256];
        int n = LibUsbNative.GetStringDescriptorAscii(handle, index, buffer, 256);
        return n > 0 ? Encoding.ASCII.GetString(buffer, n) : null;
    }
}
