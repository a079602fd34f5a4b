using QrngAppliance.Devices.Usb;

namespace QrngAppliance.Devices.Tests.Usb;

/// <summary>The real libusb binding: CI has libusb-1.0 but no USB bus (DEVICES.md §4), so "no device" is the path tested.</summary>
public sealed class LibUsbTransportSmokeTests
{
    [Fact]
    public void Libusb_initialises_lists_and_opening_an_absent_device_returns_null()
    {
        using var context = LibUsbContext.Create();
        IReadOnlyList<UsbDeviceDescriptor> devices = context.ListDevices();

        // On a machine with USB devices the list is simply longer; a ChaosKey plugged in would make the open non-null.
        if (devices.Any(d => d.VendorId == 0x1d50 && d.ProductId == 0x60c6))
        {
            return;
        }

        Assert.Null(LibUsbTransport.TryOpen(context, 0x1d50, 0x60c6));
    }

    [Fact]
    public void Using_a_disposed_context_is_an_ObjectDisposedException()
    {
        var context = LibUsbContext.Create();
        context.Dispose();
        Assert.Throws<ObjectDisposedException>(() => context.ListDevices());
    }
}
