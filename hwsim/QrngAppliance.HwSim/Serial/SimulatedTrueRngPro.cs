using System.Security.Cryptography;
using System.Text;

namespace QrngAppliance.HwSim.Serial;

/// <summary>
/// A TrueRNGpro on a pty that watches the driver's termios through TIOCPKT + EXTPROC (DEVICES.md §3) and switches its
/// output mode on the knock 110, 300, 110, then the mode's baud. Binary modes stream noise (with faults); RNGDEBUG
/// streams "0x0RRR 0x0RRR" lines of 10-bit values; the other ASCII/debug modes, whose exact format the stored
/// sources do not give, stream the same debug text as an approximation.
/// </summary>
public sealed class SimulatedTrueRngPro : PtyDeviceSimulator
{
    /// <summary>Default rate in bytes per second (a pty is not paced by baud; the simulator paces itself).</summary>
    public const int DefaultBytesPerSecond = 64_000;

    private static readonly int[] s_binaryModes = [300, 4800, 9600, 19200, 57600];
    private static readonly int[] s_modes = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400];
    private readonly List<int> _speeds = [];
    private readonly Queue<byte> _text = new();
    private volatile int _mode = 300;
    private int _knocks;

    private SimulatedTrueRngPro(string linkPath, int bytesPerSecond)
        : base(linkPath, bytesPerSecond, packetMode: true, "hwsim-truerngpro")
    {
    }

    /// <summary>The current mode as its selecting baud (300 = NORMAL at power-on).</summary>
    public int ModeBaud => _mode;

    /// <summary>The last few distinct speeds the driver set, oldest first (for diagnostics).</summary>
    public string ObservedSpeeds
    {
        get
        {
            lock (_speeds)
            {
                return string.Join(',', _speeds);
            }
        }
    }

    /// <summary>Knocks recognised so far.</summary>
    public int Knocks => Volatile.Read(ref _knocks);

    /// <summary>Starts the simulator with its slave linked at <paramref name="linkPath"/>.</summary>
    public static SimulatedTrueRngPro Start(string linkPath, int bytesPerSecond = DefaultBytesPerSecond)
    {
        var sim = new SimulatedTrueRngPro(linkPath, bytesPerSecond);
        sim.Start();
        return sim;
    }

    protected override bool IsStreaming => true;

    protected override void OnInput(ReadOnlySpan<byte> data)
    {
        // The TrueRNGpro takes no commands.
    }

    protected override void OnTermiosChanged(int baud)
    {
        // Only changes count: one tcsetattr per open, and a driver may set the same speed twice.
        bool knock;
        lock (_speeds)
        {
            if (_speeds.Count > 0 && _speeds[^1] == baud)
            {
                return;
            }

            _speeds.Add(baud);
            if (_speeds.Count > 8)
            {
                _speeds.RemoveAt(0);
            }

            int n = _speeds.Count;
            knock = n >= 4 && _speeds[n - 4] == 110 && _speeds[n - 3] == 300 && _speeds[n - 2] == 110 && Array.IndexOf(s_modes, baud) >= 0;
        }

        if (knock)
        {
            _mode = baud;
            _text.Clear();
            DiscardPendingStream();
            Interlocked.Increment(ref _knocks);
        }
    }

    protected override void FillStream(Span<byte> output)
    {
        if (Array.IndexOf(s_binaryModes, _mode) >= 0)
        {
            Noise.Fill(Fault, output);
            return;
        }

        Span<byte> raw = stackalloc byte[4];
        for (int i = 0; i < output.Length; i++)
        {
            if (_text.Count == 0)
            {
                RandomNumberGenerator.Fill(raw);
                int a = (raw[0] | (raw[1] << 8)) & 0x3ff;
                int b = (raw[2] | (raw[3] << 8)) & 0x3ff;
                foreach (byte c in Encoding.ASCII.GetBytes($"0x{a:X4} 0x{b:X4}\r\n"))
                {
                    _text.Enqueue(c);
                }
            }

            output[i] = _text.Dequeue();
        }
    }
}
