using System.Diagnostics;
using QrngAppliance.Devices.Usb;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Usb;

/// <summary>
/// An in-process USB device at the libusb seam (<see cref="IUsbTransport"/>): there is no USB bus to put a gadget on
/// here (DEVICES.md §4), so the simulated device answers control and bulk requests with the real byte layouts.
/// This base keeps the bus-level state every device shares: configuration and claimed interface (requests before
/// them stall, as on hardware), unplug/replug, pacing at the device's nominal rate, and the shared fault model.
/// </summary>
public abstract class SimulatedUsbDevice : IUsbTransport
{
    private readonly Lock _gate = new();
    private readonly List<UsbControlRecord> _controlLog = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private volatile SimulatedFault _fault = SimulatedFault.None;
    private volatile bool _connected = true;
    private double _budget;
    private TimeSpan _lastRefill;

    /// <param name="bytesPerSecond">Nominal bulk rate; 0 = as fast as the host reads.</param>
    protected SimulatedUsbDevice(UsbDeviceDescriptor descriptor, string? serialNumber, int bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        Descriptor = descriptor;
        SerialNumber = serialNumber;
        BytesPerSecond = bytesPerSecond;
    }

    public UsbDeviceDescriptor Descriptor { get; }

    public string? SerialNumber { get; }

    /// <summary>Nominal bulk rate in bytes per second (0 = unpaced).</summary>
    public int BytesPerSecond { get; }

    /// <summary>The configuration set by the host (0 = unconfigured).</summary>
    public int Configuration { get; private set; }

    /// <summary>The interface the host claimed, or -1.</summary>
    public int ClaimedInterface { get; private set; } = -1;

    /// <summary>The fault currently injected.</summary>
    public SimulatedFault Fault => _fault;

    /// <summary>False between <see cref="Disconnect"/> and <see cref="Reconnect"/>.</summary>
    public bool IsConnected => _connected;

    /// <summary>Every control request the host sent, in order (for tests of the driver's protocol bytes).</summary>
    public IReadOnlyList<UsbControlRecord> ControlLog
    {
        get
        {
            lock (_gate)
            {
                return [.. _controlLog];
            }
        }
    }

    /// <summary>Bytes handed out on bulk endpoints.</summary>
    public long BulkBytes { get; private set; }

    /// <summary>The noise generator, shared fault logic for every simulated device.</summary>
    protected FaultedByteGenerator Noise { get; } = new();

    /// <summary>Changes the injected fault from the next transfer on.</summary>
    public void SetFault(SimulatedFault fault) => _fault = fault ?? throw new ArgumentNullException(nameof(fault));

    /// <summary>Unplug: every call (including a bulk read in progress) fails with LIBUSB_ERROR_NO_DEVICE.</summary>
    public void Disconnect() => _connected = false;

    /// <summary>
    /// Replug: the device answers again, in its power-on state (unconfigured, nothing claimed): the host must open it
    /// again, as it would a re-enumerated device.
    /// </summary>
    public void Reconnect()
    {
        lock (_gate)
        {
            Configuration = 0;
            ClaimedInterface = -1;
            OnPowerOn();
            _connected = true;
        }
    }

    public void SetConfiguration(int configuration)
    {
        lock (_gate)
        {
            EnsureConnected();
            Configuration = configuration == 1 ? 1 : throw Stall($"set configuration {configuration} (only 1 exists)");
        }
    }

    public void ClaimInterface(int interfaceNumber)
    {
        lock (_gate)
        {
            EnsureConnected();
            if (interfaceNumber != 0)
            {
                throw new UsbTransportException(-5, $"claim interface {interfaceNumber}: LIBUSB_ERROR_NOT_FOUND (only interface 0 exists)");
            }

            if (RequiresSetConfiguration && Configuration == 0)
            {
                throw new UsbTransportException(-5, "claim interface 0 before set configuration: LIBUSB_ERROR_NOT_FOUND");
            }

            Configuration = Math.Max(Configuration, 1);
            ClaimedInterface = 0;
        }
    }

    public void ReleaseInterface(int interfaceNumber)
    {
        lock (_gate)
        {
            EnsureConnected();
            ClaimedInterface = ClaimedInterface == interfaceNumber ? -1 : throw new UsbTransportException(-5, $"release interface {interfaceNumber}: not claimed");
        }
    }

    public int ControlIn(byte requestType, byte request, ushort value, ushort index, Span<byte> data, TimeSpan timeout)
    {
        lock (_gate)
        {
            EnsureClaimed();
            _controlLog.Add(new UsbControlRecord(requestType, request, value, index, data.Length));
            if ((requestType & 0x80) == 0)
            {
                throw Stall($"control IN with OUT bmRequestType 0x{requestType:x2}");
            }

            return HandleControlIn(requestType, request, value, index, data);
        }
    }

    public void ControlOut(byte requestType, byte request, ushort value, ushort index, ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        lock (_gate)
        {
            EnsureClaimed();
            _controlLog.Add(new UsbControlRecord(requestType, request, value, index, data.Length));
            if ((requestType & 0x80) != 0)
            {
                throw Stall($"control OUT with IN bmRequestType 0x{requestType:x2}");
            }

            HandleControlOut(requestType, request, value, index, data);
        }
    }

    public int BulkRead(byte endpoint, Span<byte> data, TimeSpan timeout)
    {
        lock (_gate)
        {
            EnsureClaimed();
        }

        int allowed = WaitForBudget(data.Length, timeout);
        lock (_gate)
        {
            EnsureClaimed();
            if (allowed == 0)
            {
                return 0;
            }

            int n = HandleBulkIn(endpoint, data[..allowed]);
            _budget -= n;
            BulkBytes += n;
            return n;
        }
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether interface 0 may be claimed only after set_configuration (Quantis) or also before (ChaosKey, configured by the kernel).</summary>
    protected abstract bool RequiresSetConfiguration { get; }

    /// <summary>Answers a vendor IN request; throw <see cref="Stall"/> for unknown ones.</summary>
    protected abstract int HandleControlIn(byte requestType, byte request, ushort value, ushort index, Span<byte> data);

    /// <summary>Answers a vendor OUT request.</summary>
    protected abstract void HandleControlOut(byte requestType, byte request, ushort value, ushort index, ReadOnlySpan<byte> data);

    /// <summary>Fills up to <paramref name="data"/>.Length bytes from <paramref name="endpoint"/>; returns the count (0 = nothing now).</summary>
    protected abstract int HandleBulkIn(byte endpoint, Span<byte> data);

    /// <summary>Resets device state at replug.</summary>
    protected virtual void OnPowerOn()
    {
    }

    /// <summary>The answer a device gives to a request it does not know: a STALL, LIBUSB_ERROR_PIPE.</summary>
    protected static UsbTransportException Stall(string what) => new(UsbTransportException.Pipe, $"{what}: LIBUSB_ERROR_PIPE (stall)");

    private void EnsureConnected()
    {
        if (!_connected)
        {
            throw new UsbTransportException(UsbTransportException.NoDevice, $"{Descriptor.VendorId:x4}:{Descriptor.ProductId:x4}: LIBUSB_ERROR_NO_DEVICE");
        }
    }

    private void EnsureClaimed()
    {
        EnsureConnected();
        if (ClaimedInterface != 0)
        {
            throw new UsbTransportException(-5, "interface 0 is not claimed: LIBUSB_ERROR_NOT_FOUND");
        }
    }

    /// <summary>Token bucket at the nominal rate (divided by a Slow fault); waits at most <paramref name="timeout"/>.</summary>
    private int WaitForBudget(int wanted, TimeSpan timeout)
    {
        if (BytesPerSecond == 0)
        {
            _budget = wanted;
            return wanted;
        }

        var deadline = _clock.Elapsed + timeout;
        while (true)
        {
            EnsureConnected();
            double rate = (double)BytesPerSecond / FaultedByteGenerator.RateDivisor(_fault);
            TimeSpan now = _clock.Elapsed;
            double cap = Math.Max(rate * 0.05, 64); // at most 50 ms of backlog, like a device FIFO
            _budget = Math.Min(_budget + ((now - _lastRefill).TotalSeconds * rate), cap);
            _lastRefill = now;
            // Whole 64-byte packets when the host asked for at least one, as a full-speed device sends them.
            int unit = Math.Min(wanted, 64);
            if (_budget >= unit)
            {
                int n = (int)Math.Min(wanted, Math.Floor(_budget));
                return wanted >= 64 ? n / 64 * 64 : n;
            }

            TimeSpan wait = TimeSpan.FromSeconds(Math.Max((unit - _budget) / rate, 0.001));
            if (now + wait > deadline)
            {
                Thread.Sleep(deadline > now ? deadline - now : TimeSpan.Zero);
                return 0;
            }

            Thread.Sleep(wait);
        }
    }
}
