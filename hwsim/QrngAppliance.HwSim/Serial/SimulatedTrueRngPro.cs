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
    /// <summary>
    /// Default rate in bytes per second (a pty is not paced by baud; the simulator paces itself): inside both the
    /// truerngpro (200,000 .. 450,000) and truerngpro-v2 (200,000 .. 700,000) profile ranges.
    /// </summary>
    public const int DefaultBytesPerSecond = 300_000;

    private static readonly int[] s_binaryModes = [300, 4800, 9600, 19200, 57600];
    private static readonly int[] s_modes = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400];
    private readonly List<int> _speeds = [];
    private readonly Queue<byte> _text = new();
    private TaskCompletionSource _speedChanged = NewSignal();
    private volatile int _mode = 300;
    private int _knocks;

    private SimulatedTrueRngPro(string linkPath, int bytesPerSecond)
        : base(linkPath, bytesPerSecond, packetMode: true, "hwsim-truerngpro")
    {
    }

    /// <summary>The current mode as its selecting baud (300 = NORMAL at power-on).</summary>
    public int ModeBaud => _mode;

    /// <summary>Every speed change the simulator saw, oldest first.</summary>
    public IReadOnlyList<int> SpeedChanges
    {
        get
        {
            lock (_speeds)
            {
                return [.. _speeds];
            }
        }
    }

    /// <summary><see cref="SpeedChanges"/> as text (for diagnostics).</summary>
    public string ObservedSpeeds => string.Join(',', SpeedChanges);

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

    /// <summary>
    /// Completes once the latest speed change seen is <paramref name="baud"/>. A pty cannot make the driver's
    /// tcsetattr wait as a USB SET_LINE_CODING does: the kernel keeps one TIOCPKT_IOCTL flag, not a queue, so a
    /// driver that sets 110 then 300 before this simulator is scheduled shows only 300. A driver under test confirms
    /// each knock step here (<see cref="Devices.Serial.TrueRngProKnock.SelectModeAsync"/>'s <c>stepApplied</c>) before it
    /// takes the next, which gives the pty the device's ordering.
    /// </summary>
    public async Task WaitForSpeedAsync(int baud, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_speeds)
            {
                if (_speeds.Count > 0 && _speeds[^1] == baud)
                {
                    return;
                }

                changed = _speedChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void OnInput(ReadOnlySpan<byte> data)
    {
        // The TrueRNGpro takes no commands.
    }

    protected override void OnTermiosChanged(int baud)
    {
        TaskCompletionSource changed;
        lock (_speeds)
        {
            // Only changes count: one tcsetattr per open, and a driver may set the same speed twice.
            if (_speeds.Count > 0 && _speeds[^1] == baud)
            {
                return;
            }

            _speeds.Add(baud);
            int n = _speeds.Count;
            if (n >= 4 && _speeds[n - 4] == 110 && _speeds[n - 3] == 300 && _speeds[n - 2] == 110 && Array.IndexOf(s_modes, baud) >= 0)
            {
                // Switched before waiters hear of the speed, so a driver that saw its last step confirmed sees the new mode.
                _mode = baud;
                _text.Clear();
                DiscardPendingStream();
                Interlocked.Increment(ref _knocks);
            }

            changed = _speedChanged;
            _speedChanged = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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
