using System.Buffers.Binary;
using System.Security.Cryptography;
using QrngAppliance.Devices.Usb;

namespace QrngAppliance.HwSim.Usb;

/// <summary>
/// An Altus Metrum ChaosKey (1d50:60c6) at the libusb seam: bulk IN 0x85 gives cooked bytes, 0x86 raw 12-bit ADC
/// samples as little-endian u16 in 64-byte full-speed packets. It has no vendor control requests (they stall).
/// Raw samples: the low 8 bits are the (faulted) noise byte, the top 4 bits wander around mid-scale (0x7/0x8),
/// so a fault reaches the same bits the driver keeps.
/// </summary>
public sealed class SimulatedChaosKey : SimulatedUsbDevice
{
    /// <summary>Nominal rate, "close to 1 MB/s".</summary>
    public const int NominalBytesPerSecond = 1_000_000;

    private const int PacketSize = 64;
    private byte[] _noise = [];
    private byte[] _high = [];

    /// <param name="bytesPerSecond">Bulk rate; default nominal, 0 = unpaced (benchmarks).</param>
    public SimulatedChaosKey(int bytesPerSecond = NominalBytesPerSecond, string serialNumber = "hwsim-chaoskey-0001")
        : base(new UsbDeviceDescriptor(0x1d50, 0x60c6, 0x0100, 3), serialNumber, bytesPerSecond)
    {
    }

    // The kernel has already configured the device; chaosread only claims interface 0.
    protected override bool RequiresSetConfiguration => false;

    protected override int HandleControlIn(byte requestType, byte request, ushort value, ushort index, Span<byte> data) =>
        throw Stall($"ChaosKey has no vendor request 0x{request:x2}");

    protected override void HandleControlOut(byte requestType, byte request, ushort value, ushort index, ReadOnlySpan<byte> data) =>
        throw Stall($"ChaosKey has no vendor request 0x{request:x2}");

    protected override int HandleBulkIn(byte endpoint, Span<byte> data)
    {
        switch (endpoint)
        {
            case 0x85:
                Noise.Fill(Fault, data);
                return data.Length;
            case 0x86:
                // Whole packets of whole samples; a buffer smaller than one packet overflows, as on the bus.
                int bytes = data.Length / PacketSize * PacketSize;
                if (bytes == 0)
                {
                    throw new UsbTransportException(-8, $"bulk IN 0x86 into {data.Length} bytes (< one {PacketSize}-byte packet): LIBUSB_ERROR_OVERFLOW");
                }

                int samples = bytes / 2;
                if (_noise.Length < samples)
                {
                    _noise = new byte[samples];
                    _high = new byte[samples];
                }

                Noise.Fill(Fault, _noise.AsSpan(0, samples));
                RandomNumberGenerator.Fill(_high.AsSpan(0, samples));
                for (int i = 0; i < samples; i++)
                {
                    ushort sample = (ushort)(((_high[i] & 1) == 0 ? 0x700 : 0x800) | _noise[i]);
                    BinaryPrimitives.WriteUInt16LittleEndian(data[(2 * i)..], sample);
                }

                return bytes;
            default:
                throw Stall($"bulk IN on endpoint 0x{endpoint:x2} (0x85 cooked, 0x86 raw)");
        }
    }
}
