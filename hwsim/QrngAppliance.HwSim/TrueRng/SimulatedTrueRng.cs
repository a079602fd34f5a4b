using System.Diagnostics;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.Interop;

namespace QrngAppliance.HwSim.TrueRng;

/// <summary>
/// A TrueRNG as a driver sees it: a tty at <see cref="LinkPath"/> (a symlink to a pty slave, standing in for
/// /dev/ttyACM0) that streams random bytes at a paced rate, with faults on demand. The simulator holds only the
/// pty master; a driver opens the link exactly as it would open the real device.
/// </summary>
/// <example>
/// <code>
/// await using var sim = SimulatedTrueRng.Start("/tmp/qrng/truerng0");
/// sim.SetFault(SimulatedFault.Stuck());   // every byte 0xA5 from now on
/// sim.Disconnect();                       // open readers get EOF; the link disappears
/// sim.Reconnect();                        // a new pty behind the same link
/// </code>
/// </example>
/// <remarks>
/// pty limits the simulator fakes (DEVICES.md §3): a pty is not paced by baud, so output is paced here on a 10 ms
/// tick; DTR ioctls on the slave fail with ENOTTY, so DTR cannot pause the stream. Bytes are only produced while
/// a driver has the slave open (a master read gives EIO otherwise), and a reader that falls behind loses bytes
/// instead of building a backlog, as a USB device whose host stops polling does.
/// </remarks>
public sealed class SimulatedTrueRng : ISimulatedDevice, IDisposable
{
    /// <summary>Default output rate, bytes per second: a third of a real v3, enough for tests at little CPU.</summary>
    public const int DefaultBytesPerSecond = 16_000;

    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(10);

    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _pump;
    private volatile SimulatedFault _fault;
    private Pty? _pty;
    private long _bytesWritten;
    private volatile bool _slaveOpen;
    private bool _disposed;

    private SimulatedTrueRng(string linkPath, int bytesPerSecond, SimulatedFault fault)
    {
        LinkPath = Path.GetFullPath(linkPath);
        BytesPerSecond = bytesPerSecond;
        _fault = fault;
        _pump = new Thread(Pump) { IsBackground = true, Name = "hwsim-truerng" };
    }

    /// <summary>The device path drivers open (a symlink to the current pty slave).</summary>
    public string LinkPath { get; }

    /// <summary>Output rate in bytes per second while a reader has the device open.</summary>
    public int BytesPerSecond { get; }

    /// <summary>The fault currently injected (<see cref="SimulatedFault.None"/> when healthy).</summary>
    public SimulatedFault Fault => _fault;

    /// <summary>True between <see cref="Start"/>/<see cref="Reconnect"/> and <see cref="Disconnect"/>.</summary>
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

    /// <summary>The pty slave behind <see cref="LinkPath"/> (<c>/dev/pts/N</c>), or null while disconnected.</summary>
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

    /// <summary>Whether a reader had the device open at the last pump tick.</summary>
    public bool IsReaderAttached => _slaveOpen;

    /// <summary>Bytes handed to readers since start (across reconnects).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>
    /// Creates the pty, points <paramref name="linkPath"/> at its slave (creating the parent directory, atomically
    /// replacing an existing link) and starts streaming.
    /// </summary>
    /// <param name="bytesPerSecond">Output rate, at least 1.</param>
    /// <param name="fault">Initial fault; null = healthy.</param>
    public static SimulatedTrueRng Start(string linkPath, int bytesPerSecond = DefaultBytesPerSecond, SimulatedFault? fault = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(linkPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        var sim = new SimulatedTrueRng(linkPath, bytesPerSecond, fault ?? SimulatedFault.None);
        sim.Connect();
        sim._pump.Start();
        return sim;
    }

    /// <summary>Changes the injected fault; takes effect from the next tick (≤ 10 ms).</summary>
    public void SetFault(SimulatedFault fault) => _fault = fault ?? throw new ArgumentNullException(nameof(fault));

    /// <summary>
    /// Unplug: closes the pty master and removes the link. Open readers see end of stream (read returns 0 after
    /// POLLHUP); opening the link fails with ENOENT. Does nothing when already disconnected.
    /// </summary>
    public void Disconnect()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DisconnectLocked();
        }
    }

    /// <summary>Replug: a new pty behind the same <see cref="LinkPath"/> (disconnecting first if still connected).</summary>
    public void Reconnect()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DisconnectLocked();
        }

        Connect();
    }

    /// <summary>Stops streaming, closes the pty and removes the link.</summary>
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
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Connect()
    {
        Pty pty = Pty.Open();
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

        // Remove the link only while it still points at our slave: another simulator may own the path by now.
        try
        {
            if (new FileInfo(LinkPath).LinkTarget == _pty.SlavePath)
            {
                File.Delete(LinkPath);
            }
        }
        catch (IOException)
        {
            // The link is gone or unreadable already; nothing of ours to remove.
        }

        _pty.Dispose();
        _pty = null;
        _slaveOpen = false;
    }

    /// <summary>
    /// Symlink at a temporary name, then rename(2) over the link: a reader never sees the path missing or
    /// half-made. File.Move with overwrite is rename(2) on Linux, which replaces the link itself.
    /// </summary>
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
        // 16 KiB generated at a time: a fault change reaches the reader after at most this many stale bytes.
        const int Chunk = 16 * 1024;
        byte[] output = new byte[Chunk];
        var generator = new FaultedByteGenerator();
        byte[] input = new byte[4096];
        int pendingOffset = 0;
        int pendingLength = 0;
        // Catch up at most 100 ms after a late tick, so a stall does not turn into a burst.
        double maxBudget = Math.Max(BytesPerSecond * 0.1, 1);
        double budget = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan last = clock.Elapsed;
        bool sleep = true;
        while (sleep ? !_stop.Wait(s_tick) : !_stop.IsSet)
        {
            TimeSpan now = clock.Elapsed;
            double seconds = (now - last).TotalSeconds;
            last = now;
            sleep = true;
            lock (_gate)
            {
                if (_pty is null || !ReaderAttached(_pty, input))
                {
                    _slaveOpen = false;
                    budget = 0;
                    pendingLength = 0;
                    continue;
                }

                _slaveOpen = true;
                budget = Math.Min(budget + (BytesPerSecond * seconds / FaultedByteGenerator.RateDivisor(_fault)), maxBudget);
                while (budget >= 1)
                {
                    if (pendingLength == 0)
                    {
                        pendingOffset = 0;
                        pendingLength = (int)Math.Min(budget, Chunk);
                        generator.Fill(_fault, output.AsSpan(0, pendingLength));
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

                    if (status == Pty.IoStatus.WouldBlock || written < count)
                    {
                        // The reader's queue is full. More is owed (rates above ~1 MB/s, where the pty queue holds
                        // less than a tick's worth): wait for room rather than a whole tick. A reader that does not
                        // drain its queue just loses the budget, like a USB device whose host stops polling.
                        sleep = written == 0 || !_pty.WaitWritable(s_tick);
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Discards what the driver wrote (a TrueRNG takes no commands); EIO here means no reader has the slave open.</summary>
    private static bool ReaderAttached(Pty pty, byte[] input)
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
        }
    }
}
