namespace QrngAppliance.Devices.Usb;

/// <summary>A USB transfer or setup call failed; <see cref="Code"/> is the libusb error code (negative).</summary>
public sealed class UsbTransportException(int code, string message) : IOException(message)
{
    /// <summary>LIBUSB_ERROR_IO.</summary>
    public const int Io = -1;

    /// <summary>LIBUSB_ERROR_NO_DEVICE: the device was unplugged.</summary>
    public const int NoDevice = -4;

    /// <summary>LIBUSB_ERROR_TIMEOUT.</summary>
    public const int Timeout = -7;

    /// <summary>LIBUSB_ERROR_PIPE: the device stalled the request (unknown request, wrong endpoint).</summary>
    public const int Pipe = -9;

    /// <summary>The libusb error code.</summary>
    public int Code { get; } = code;

    /// <summary>True when the device is gone (unplugged) rather than misbehaving.</summary>
    public bool IsDeviceGone => Code is NoDevice or Io;
}
