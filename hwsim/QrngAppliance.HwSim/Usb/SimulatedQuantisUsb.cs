using System.Buffers.Binary;
using QrngAppliance.Devices.Usb;

namespace QrngAppliance.HwSim.Usb;

/// <summary>
/// An ID Quantique Quantis USB (0aba:0102) at the libusb seam: configuration 1, interface 0, bulk IN 0x86, and the
/// vendor requests of DEVICES.md §1.5 with their documented reply sizes. One module (mask 0x01) at 4000 kbit/s.
/// Bulk data stops while the module is disabled, and the AIS31 start-up flag is set at power-on until cleared.
/// </summary>
public sealed class SimulatedQuantisUsb : SimulatedUsbDevice
{
    /// <summary>The board version the simulator reports (GET_BOARD_VERSION, 4 bytes LE).</summary>
    public const uint BoardVersion = 0x0002_0005;

    /// <summary>Nominal rate: the "USB-4M" 4 Mbit/s.</summary>
    public const int NominalBytesPerSecond = 500_000;

    private bool _enabled = true;
    private bool _ais31Flag = true;

    /// <param name="bytesPerSecond">Bulk rate; default the nominal 4 Mbit/s, 0 = unpaced (benchmarks).</param>
    public SimulatedQuantisUsb(int bytesPerSecond = NominalBytesPerSecond, string serialNumber = "hwsim-quantis-0001")
        : base(new UsbDeviceDescriptor(0x0aba, 0x0102, 0x0100, 3), serialNumber, bytesPerSecond)
    {
    }

    /// <summary>Whether the module is enabled (MODULE_ENABLE 0x12 / MODULE_DISABLE 0x11).</summary>
    public bool ModuleEnabled => _enabled;

    /// <summary>The AIS31 start-up test request flag (cleared by 0x18).</summary>
    public bool Ais31Flag => _ais31Flag;

    protected override bool RequiresSetConfiguration => true;

    protected override int HandleControlIn(byte requestType, byte request, ushort value, ushort index, Span<byte> data)
    {
        if (requestType != 0xC1 || value != 0 || index != 0)
        {
            throw Stall($"request 0x{request:x2} with bmRequestType 0x{requestType:x2} wValue {value} wIndex {index}");
        }

        switch (request)
        {
            case 0x10:
                return Reply(data, 4, d => BinaryPrimitives.WriteUInt32LittleEndian(d, BoardVersion));
            case 0x13: // GET_MODULES_STATUS: a disabled module does not report OK
            case 0x14: // GET_MODULES_POWER
                return Reply(data, 1, d => d[0] = _enabled ? (byte)0x01 : (byte)0x00);
            case 0x15:
                return Reply(data, 1, d => d[0] = 0x01);
            case 0x16:
                return Reply(data, 4, d => BinaryPrimitives.WriteUInt32LittleEndian(d, 4000));
            case 0x17:
                return Reply(data, 1, d => d[0] = _ais31Flag ? (byte)1 : (byte)0);
            default:
                throw Stall($"unknown IN request 0x{request:x2}");
        }
    }

    protected override void HandleControlOut(byte requestType, byte request, ushort value, ushort index, ReadOnlySpan<byte> data)
    {
        if (requestType != 0x41 || value != 0 || index != 0 || !data.IsEmpty)
        {
            throw Stall($"request 0x{request:x2} with bmRequestType 0x{requestType:x2} wValue {value} wIndex {index} and {data.Length} data bytes");
        }

        switch (request)
        {
            case 0x11:
                _enabled = false;
                break;
            case 0x12:
                _enabled = true;
                break;
            case 0x18:
                _ais31Flag = false;
                break;
            default:
                throw Stall($"unknown OUT request 0x{request:x2}");
        }
    }

    protected override int HandleBulkIn(byte endpoint, Span<byte> data)
    {
        if (endpoint != 0x86)
        {
            throw Stall($"bulk IN on endpoint 0x{endpoint:x2} (only 0x86 exists)");
        }

        if (!_enabled)
        {
            return 0;
        }

        Noise.Fill(Fault, data);
        return data.Length;
    }

    protected override void OnPowerOn()
    {
        _enabled = true;
        _ais31Flag = true;
    }

    private delegate void Writer(Span<byte> data);

    private static int Reply(Span<byte> data, int size, Writer write)
    {
        if (data.Length < size)
        {
            throw new UsbTransportException(-8, $"reply of {size} bytes into a {data.Length}-byte buffer: LIBUSB_ERROR_OVERFLOW");
        }

        write(data[..size]);
        return size;
    }
}
