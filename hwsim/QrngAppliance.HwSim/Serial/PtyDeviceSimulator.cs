using System.Diagnostics;
using QrngAppliance.Devices.Interop;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.Interop;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Serial;

/// <summary>
/// A CDC-ACM device simulated on a pty whose master this object holds: the slave is symlinked at <see cref="LinkPath"/>
/// and opened by the driver like /dev/ttyACM0. The pump thread reads what the driver writes (and, in packet mode, its
/// termios changes), writes command replies first, then paced noise from <see cref="FaultedByteGenerator"/>.
/// Subclasses say what the device does with input and which bytes it streams. Unplug/replug replaces the pty.
/// </summary>
public abstract class PtyDeviceSimulator : ISimulatedDevice, IDisposable
{
    private const int Chunk = 16 * 1024;
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly ManualResetEventSlim _pumping = new();
    private readonly Thread _pump;
    private readonly bool _packetMode;
    private readonly Queue<byte[]> _replies = new();
    private volatile SimulatedFault _fault = SimulatedFault.None;
    private Pty? _pty;
    private long _bytesWritten;
    private volatile bool _slaveOpen;
    private bool _discardPending;
    private bool _disposed;

    /// <param name="packetMode">Watch the driver's termios changes (TIOCPKT + EXTPROC), for baud knocks.</param>
    protected PtyDeviceSimulator(string linkPath, int bytesPerSecond, bool packetMode, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(linkPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        LinkPath = Path.GetFullPath(linkPath);
        BytesPerSecond = bytesPerSecond;
        _packetMode = packetMode;
        _pump = new Thread(Pump) { IsBackground = true, Name = name };
    }

    /// <summary>The device path drivers open (a symlink to the current pty slave).</summary>
    public string LinkPath { get; }

    /// <summary>Stream rate in bytes per second while a reader has the device open (divided by a Slow fault).</summary>
    public int BytesPerSecond { get; }

    /// <summary>The fault currently injected.</summary>
    public SimulatedFault Fault => _fault;

    /// <summary>Whether a reader had the device open at the last pump tick.</summary>
    public bool IsReaderAttached => _slaveOpen;

    /// <summary>Bytes handed to readers since start (replies and stream, across reconnects).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>The pty slave behind <see cref="LinkPath"/>, or null while disconnected.</summary>
    public string? SlavePath
    {
        get
        {
            lock (_gate)
            {
                return _pty?.SlavePath;
            }
        }
    }

    /// <summary>True while plugged in.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _pty is not null;
            }
        }
    }

    /// <summary>The noise generator (shared fault logic).</summary>
    protected FaultedByteGenerator Noise { get; } = new();

    /// <summary>Changes the injected fault; takes effect within one pump tick plus what is already queued in the pty.</summary>
    public void SetFault(SimulatedFault fault) => _fault = fault ?? throw new ArgumentNullException(nameof(fault));

    /// <summary>Unplug: closes the master (readers see hangup/EIO) and removes the link.</summary>
    public void Disconnect()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DisconnectLocked();
        }
    }

    /// <summary>Replug: a new pty behind the same link.</summary>
    public void Reconnect()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DisconnectLocked();
        }

        Connect();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stop.Set();
        if (_pump.IsAlive)
        {
            _pump.Join();
        }

        lock (_gate)
        {
            DisconnectLocked();
        }

        _stop.Dispose();
        _pumping.Dispose();
        GC.SuppressFinalize(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Creates the first pty and starts the pump; call once from the subclass's factory.</summary>
    protected void Start()
    {
        Connect();
        _pump.Start();
        // Return only once the pump runs: a driver that knocks at once must not race the thread's start-up (JIT).
        _pumping.Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>Bytes the driver wrote (commands). Runs on the pump thread.</summary>
    protected abstract void OnInput(ReadOnlySpan<byte> data);

    /// <summary>The driver changed the slave's termios (packet mode only); <paramref name="baud"/> is its output speed.</summary>
    protected virtual void OnTermiosChanged(int baud)
    {
    }

    /// <summary>Whether the device streams noise now (e.g. OneRNG paused by <c>cmdo</c>).</summary>
    protected abstract bool IsStreaming { get; }

    /// <summary>Fills the next stream bytes (noise, or a mode's text format).</summary>
    protected abstract void FillStream(Span<byte> output);

    /// <summary>Drops stream bytes generated but not yet written (a mode change: the device's FIFO restarts).</summary>
    protected void DiscardPendingStream() => _discardPending = true;

    /// <summary>Queues a reply to go out before further stream bytes (unpaced: replies are small).</summary>
    protected void EnqueueReply(byte[] reply) => _replies.Enqueue(reply);

    private void Connect()
    {
        Pty pty = Pty.Open(rawSlave: true, packetMode: _packetMode);
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                ReplaceLink(pty.SlavePath);
                _pty = pty;
            }
        }
        catch
        {
            pty.Dispose();
            throw;
        }
    }

    private void DisconnectLocked()
    {
        if (_pty is null)
        {
            return;
        }

        try
        {
            if (new FileInfo(LinkPath).LinkTarget == _pty.SlavePath)
            {
                File.Delete(LinkPath);
            }
        }
        catch (IOException)
        {
            // Already gone.
        }

        _pty.Dispose();
        _pty = null;
        _slaveOpen = false;
        _replies.Clear();
    }

    private void ReplaceLink(string slavePath)
    {
        string? directory = Path.GetDirectoryName(LinkPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = $"{LinkPath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.CreateSymbolicLink(temporary, slavePath);
        try
        {
            File.Move(temporary, LinkPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private void Pump()
    {
        // Packet mode ticks fast: each tcsetattr of a knock must be seen before the next one replaces it.
        TimeSpan tick = TimeSpan.FromMilliseconds(_packetMode ? 2 : 10);
        byte[] output = new byte[Chunk];
        byte[] input = new byte[4096];
        int pendingOffset = 0;
        int pendingLength = 0;
        byte[]? reply = null;
        int replyOffset = 0;
        double budget = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan last = clock.Elapsed;
        while (!_stop.IsSet)
        {
            if (!_packetMode || !WaitForInput(tick))
            {
                _stop.Wait(_pumping.IsSet ? tick : TimeSpan.Zero);
            }

            TimeSpan now = clock.Elapsed;
            double seconds = (now - last).TotalSeconds;
            last = now;
            lock (_gate)
            {
                bool attached = _pty is not null && DrainInput(_pty, input);
                _pumping.Set();
                if (_pty is null || !attached)
                {
                    _slaveOpen = false;
                    budget = 0;
                    pendingLength = 0;
                    reply = null;
                    continue;
                }

                _slaveOpen = true;
                if (_discardPending)
                {
                    _discardPending = false;
                    pendingLength = 0;
                }

                // Replies first, unpaced.
                while (true)
                {
                    if (reply is null || replyOffset == reply.Length)
                    {
                        if (!_replies.TryDequeue(out reply))
                        {
                            break;
                        }

                        replyOffset = 0;
                        pendingLength = 0; // stream bytes generated before the command are dropped, as a device's FIFO flush
                    }

                    _ = _pty.Write(reply.AsSpan(replyOffset), out int sent);
                    Interlocked.Add(ref _bytesWritten, sent);
                    replyOffset += sent;
                    if (replyOffset < reply.Length)
                    {
                        break;
                    }
                }

                if (reply is not null && replyOffset < reply.Length)
                {
                    continue;
                }

                if (!IsStreaming)
                {
                    budget = 0;
                    pendingLength = 0;
                    continue;
                }

                double maxBudget = Math.Max(BytesPerSecond * 0.1, 1);
                budget = Math.Min(budget + (BytesPerSecond * seconds / FaultedByteGenerator.RateDivisor(_fault)), maxBudget);
                while (budget >= 1)
                {
                    if (pendingLength == 0)
                    {
                        pendingOffset = 0;
                        pendingLength = (int)Math.Min(budget, Chunk);
                        FillStream(output.AsSpan(0, pendingLength));
                    }

                    int count = (int)Math.Min(pendingLength, budget);
                    Pty.IoStatus status = _pty.Write(output.AsSpan(pendingOffset, count), out int written);
                    Interlocked.Add(ref _bytesWritten, written);
                    budget -= written;
                    pendingOffset += written;
                    pendingLength -= written;
                    if (status == Pty.IoStatus.NoSlave)
                    {
                        break;
                    }

                    // The reader's queue is full: wait for room rather than a whole tick when more is owed (high rates).
                    if ((status == Pty.IoStatus.WouldBlock || written < count) && !_pty.WaitWritable(tick))
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Packet mode: wakes as soon as the driver changes termios, so each knock step is seen before the next.</summary>
    private bool WaitForInput(TimeSpan timeout)
    {
        Pty? pty;
        lock (_gate)
        {
            pty = _pty;
        }

        try
        {
            return pty is not null && pty.WaitReadable(timeout);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Hands everything the driver wrote to <see cref="OnInput"/>; false when no reader has the slave open.</summary>
    private bool DrainInput(Pty pty, byte[] input)
    {
        while (true)
        {
            Pty.IoStatus status = pty.Read(input, out int read);
            if (status == Pty.IoStatus.NoSlave)
            {
                return false;
            }

            if (status == Pty.IoStatus.WouldBlock || read == 0)
            {
                return true;
            }

            if (!_packetMode)
            {
                OnInput(input.AsSpan(0, read));
                continue;
            }

            // TIOCPKT: a status byte, then data only when the status is 0 (TIOCPKT_DATA).
            if (input[0] == 0)
            {
                OnInput(input.AsSpan(1, read - 1));
            }
            else if ((input[0] & Pty.PacketIoctl) != 0 && BaudRates.TryGetBaud(pty.GetSlaveTermios().ControlFlags, out int baud))
            {
                OnTermiosChanged(baud);
            }
        }
    }
}
