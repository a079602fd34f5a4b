using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace QrngAppliance.HwSim.Serial;

/// <summary>
/// A OneRNG on a pty: parses <c>cmd</c> + one character like the firmware's <c>pool_cmd_thread</c> (newline optional),
/// keeps the 4-bit noise mode, pauses/runs on <c>cmdo</c>/<c>cmdO</c>, answers <c>cmdv</c> and <c>cmdX</c> (a firmware
/// dump in the documented format: magic FE ED BE EF 20 14, u24 length, u16 version, u16 code size, image, tail).
/// Mode 4 (no noise source) streams zeros, which is how a host finds the end of a dump.
/// A Garbage fault replaces command replies with non-protocol text, besides its bursts in the stream.
/// </summary>
public sealed class SimulatedOneRng : PtyDeviceSimulator
{
    /// <summary>Default stream rate, bytes per second ("~350 kbit/s").</summary>
    public const int DefaultBytesPerSecond = 44_000;

    /// <summary>The firmware version in the simulator's image header.</summary>
    public const int FirmwareVersion = 3;

    private const int ImageLength = 16 * 1024;
    private static readonly byte[] s_image = BuildImage();
    private readonly List<byte> _line = [];
    private readonly List<string> _commands = [];
    private volatile int _mode;
    private volatile bool _running = true;

    private SimulatedOneRng(string linkPath, int bytesPerSecond)
        : base(linkPath, bytesPerSecond, packetMode: false, "hwsim-onerng")
    {
    }

    /// <summary>SHA-256 (lower-case hex) of the simulator's firmware image, the value onerng.json trusts.</summary>
    public static string FirmwareSha256 => Convert.ToHexStringLower(SHA256.HashData(s_image));

    /// <summary>When set, <c>cmdX</c> dumps the image with one code byte flipped.</summary>
    public bool TamperFirmware { get; set; }

    /// <summary>The current noise mode digit.</summary>
    public int Mode => _mode;

    /// <summary>Whether the stream runs (cmdO) or is paused (cmdo).</summary>
    public bool Running => _running;

    /// <summary>Commands received, in order (e.g. <c>cmdo</c>, <c>cmd4</c>, <c>cmdX</c>).</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_commands)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>Starts the simulator with its slave linked at <paramref name="linkPath"/>.</summary>
    public static SimulatedOneRng Start(string linkPath, int bytesPerSecond = DefaultBytesPerSecond)
    {
        var sim = new SimulatedOneRng(linkPath, bytesPerSecond);
        sim.Start();
        return sim;
    }

    protected override bool IsStreaming => _running;

    protected override void OnInput(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            _line.Add(b);
            int n = _line.Count;
            if (n >= 4 && _line[n - 4] == 'c' && _line[n - 3] == 'm' && _line[n - 2] == 'd')
            {
                Execute((char)_line[n - 1]);
                _line.Clear();
            }
            else if (n > 64)
            {
                _line.RemoveRange(0, n - 3);
            }
        }
    }

    protected override void FillStream(Span<byte> output)
    {
        // bit2 set (avalanche off) and bit1 clear (RF off): no noise source at all.
        if ((_mode & 0b110) == 0b100)
        {
            output.Clear();
            return;
        }

        Noise.Fill(Fault, output);
    }

    private void Execute(char command)
    {
        lock (_commands)
        {
            _commands.Add("cmd" + command);
        }

        switch (command)
        {
            case >= '0' and <= '9':
                _mode = command - '0';
                break;
            case >= 'a' and <= 'f':
                _mode = command - 'a' + 10;
                break;
            case >= 'A' and <= 'F':
                _mode = command - 'A' + 10;
                break;
            case 'O':
                _running = true;
                break;
            case 'o':
                _running = false;
                DiscardPendingStream();
                break;
            case 'v':
                Reply(Encoding.ASCII.GetBytes($"Version {FirmwareVersion}\n"));
                break;
            case 'X':
                byte[] image = (byte[])s_image.Clone();
                if (TamperFirmware)
                {
                    image[100] ^= 0x01;
                }

                Reply(Devices.Serial.OneRngFirmwareImage.Encode(FirmwareVersion, ImageLength - 680, image));
                break;
            default:
                // cmdw (flush pool), cmdI, cmdS, cmdT: accepted, nothing to send.
                break;
        }
    }

    private void Reply(byte[] reply)
    {
        if (Fault.Kind == TrueRng.SimulatedFaultKind.Garbage)
        {
            // Line noise instead of the protocol reply.
            EnqueueReply(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("hwsim: garbage on the line\r\n", 40))));
            return;
        }

        EnqueueReply(reply);
    }

    /// <summary>A deterministic image: SHA-256 counter-mode "code", then the 680-byte v3 tail with a 0-length signature.</summary>
    private static byte[] BuildImage()
    {
        byte[] image = new byte[ImageLength];
        int codeSize = ImageLength - 680;
        Span<byte> block = stackalloc byte[32];
        Span<byte> seed = stackalloc byte[24];
        Encoding.ASCII.GetBytes("hwsim-onerng-fw-").CopyTo(seed);
        for (int i = 0; i * 32 < codeSize; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(seed[16..], (uint)i);
            SHA256.HashData(seed[..20], block);
            block[..Math.Min(32, codeSize - (i * 32))].CopyTo(image.AsSpan(i * 32));
        }

        // Tail: u16 LE signature length 0 (the simulator's image is unsigned), rest zero.
        return image;
    }
}
