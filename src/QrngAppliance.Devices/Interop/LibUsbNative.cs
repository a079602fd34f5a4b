using System.Runtime.InteropServices;

namespace QrngAppliance.Devices.Interop;

/// <summary>
/// The few libusb-1.0 calls the USB drivers need (DEVICES.md §4 table). Debian 12 ships libusb 1.0.26, so
/// <c>libusb_init_context</c> (1.0.27) is not used, and neither is the variadic <c>libusb_set_option</c>,
/// which .NET cannot call portably.
/// </summary>
internal static unsafe partial class LibUsbNative
{
    private const string Library = "libusb-1.0.so.0";

    public const int Success = 0;
    public const int ErrorIo = -1;
    public const int ErrorInvalidParam = -2;
    public const int ErrorAccess = -3;
    public const int ErrorNoDevice = -4;
    public const int ErrorNotFound = -5;
    public const int ErrorBusy = -6;
    public const int ErrorTimeout = -7;
    public const int ErrorOverflow = -8;
    public const int ErrorPipe = -9;

    [LibraryImport(Library, EntryPoint = "libusb_init")]
    public static partial int Init(out nint context);

    [LibraryImport(Library, EntryPoint = "libusb_exit")]
    public static partial void Exit(nint context);

    [LibraryImport(Library, EntryPoint = "libusb_get_device_list")]
    public static partial nint GetDeviceList(nint context, out nint list);

    [LibraryImport(Library, EntryPoint = "libusb_free_device_list")]
    public static partial void FreeDeviceList(nint list, int unrefDevices);

    [LibraryImport(Library, EntryPoint = "libusb_get_device_descriptor")]
    public static partial int GetDeviceDescriptor(nint device, out LibUsbDeviceDescriptor descriptor);

    [LibraryImport(Library, EntryPoint = "libusb_open")]
    public static partial int Open(nint device, out nint handle);

    [LibraryImport(Library, EntryPoint = "libusb_close")]
    public static partial void Close(nint handle);

    [LibraryImport(Library, EntryPoint = "libusb_get_device")]
    public static partial nint GetDevice(nint handle);

    [LibraryImport(Library, EntryPoint = "libusb_set_auto_detach_kernel_driver")]
    public static partial int SetAutoDetachKernelDriver(nint handle, int enable);

    [LibraryImport(Library, EntryPoint = "libusb_set_configuration")]
    public static partial int SetConfiguration(nint handle, int configuration);

    [LibraryImport(Library, EntryPoint = "libusb_claim_interface")]
    public static partial int ClaimInterface(nint handle, int interfaceNumber);

    [LibraryImport(Library, EntryPoint = "libusb_release_interface")]
    public static partial int ReleaseInterface(nint handle, int interfaceNumber);

    [LibraryImport(Library, EntryPoint = "libusb_bulk_transfer")]
    public static partial int BulkTransfer(nint handle, byte endpoint, byte* data, int length, out int transferred, uint timeoutMs);

    [LibraryImport(Library, EntryPoint = "libusb_control_transfer")]
    public static partial int ControlTransfer(nint handle, byte requestType, byte request, ushort value, ushort index,
        byte* data, ushort length, uint timeoutMs);

    [LibraryImport(Library, EntryPoint = "libusb_get_string_descriptor_ascii")]
    public static partial int GetStringDescriptorAscii(nint handle, byte index, byte* data, int length);

    [LibraryImport(Library, EntryPoint = "libusb_error_name")]
    public static partial nint ErrorName(int code);

    /// <summary>The libusb name of an error code (LIBUSB_ERROR_NO_DEVICE …), or the number when libusb does not know it.</summary>
    public static string Describe(int code)
    {
        nint name = ErrorName(code);
        return name == 0 ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : Marshal.PtrToStringAnsi(name) ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
