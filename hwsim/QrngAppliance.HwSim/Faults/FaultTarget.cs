using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.HwSim.Usb;

namespace QrngAppliance.HwSim.Faults;

/// <summary>
/// One running simulated device as the fault control plane sees it: which <see cref="InjectedFaultKind"/>s it can take,
/// and how each reaches it. Built over the device's own controls (a pty device's <c>SetFault</c>/<c>Disconnect</c>/
/// <c>Reconnect</c>, a USB device's, a noise circuit's fault, the TPM proxy's), so a fault means the same thing here as
/// in hwsim's control channel. Thread-safe: injections and clears are serialized.
/// </summary>
public sealed class FaultTarget
{
    private static readonly InjectedFaultKind[] s_streamKinds =
        [InjectedFaultKind.Stuck, InjectedFaultKind.Bias, InjectedFaultKind.Correlation, InjectedFaultKind.Slow, InjectedFaultKind.Garbage];

    private readonly Lock _gate = new();
    private readonly Action<SimulatedFault> _setStream;
    private readonly Action? _disconnect;
    private readonly Action? _reconnect;
    private readonly Action<uint?>? _setTpmError;
    private InjectedFault _current = InjectedFault.None;

    private FaultTarget(Action<SimulatedFault> setStream, Action? disconnect, Action? reconnect, Action<uint?>? setTpmError)
    {
        _setStream = setStream;
        _disconnect = disconnect;
        _reconnect = reconnect;
        _setTpmError = setTpmError;
        var accepts = new HashSet<InjectedFaultKind>(s_streamKinds);
        if (disconnect is not null && reconnect is not null)
        {
            accepts.Add(InjectedFaultKind.Disconnect);
            accepts.Add(InjectedFaultKind.Reconnect);
        }

        if (setTpmError is not null)
        {
            accepts.Add(InjectedFaultKind.TpmError);
        }

        Accepts = accepts;
    }

    /// <summary>The kinds this device can take, in <see cref="InjectedFault.Names"/> order.</summary>
    public IReadOnlySet<InjectedFaultKind> Accepts { get; }

    /// <summary>The fault in force (<see cref="InjectedFault.None"/> when healthy; a reconnect is over at once).</summary>
    public InjectedFault Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>A pty device (TrueRNG, TrueRNGpro, OneRNG, hwrng): stream faults, unplug and replug.</summary>
    public static FaultTarget For(ISimulatedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new(device.SetFault, device.Disconnect, device.Reconnect, null);
    }

    /// <summary>A USB device at the libusb seam (Quantis, ChaosKey): stream faults, unplug and replug.</summary>
    public static FaultTarget For(SimulatedUsbDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new(device.SetFault, device.Disconnect, device.Reconnect, null);
    }

    /// <summary>A noise circuit on the simulated ADC board: stream faults only (the board cannot be unplugged).</summary>
    public static FaultTarget For(NoiseCircuit circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        return new(f => circuit.Fault = f, null, null, null);
    }

    /// <summary>The TPM behind <see cref="Tpm.FaultingTpmProxy"/>: stream faults on GetRandom, unplug, replug and error answers.</summary>
    public static FaultTarget For(Tpm.FaultingTpmProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return new(proxy.SetFault, proxy.Disconnect, proxy.Reconnect, proxy.SetErrorResponse);
    }

    /// <summary>Replaces the fault in force with <paramref name="fault"/>; throws <see cref="NotSupportedException"/> for a kind not in <see cref="Accepts"/>.</summary>
    public void Inject(InjectedFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Kind != InjectedFaultKind.None && !Accepts.Contains(fault.Kind))
        {
            throw new NotSupportedException($"cannot take {InjectedFault.NameOf(fault.Kind)}");
        }

        lock (_gate)
        {
            ClearLocked();
            switch (fault.Kind)
            {
                case InjectedFaultKind.Disconnect:
                    _disconnect!();
                    break;
                case InjectedFaultKind.Reconnect:
                    _disconnect!();
                    _reconnect!();
                    return; // over at once: nothing stays in force
                case InjectedFaultKind.TpmError:
                    _setTpmError!(fault.TpmResponseCode);
                    break;
                default:
                    _setStream(fault.Stream);
                    break;
            }

            _current = fault;
        }
    }

    /// <summary>Back to healthy: stream fault off, error answers off, replugged if unplugged.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            ClearLocked();
        }
    }

    private void ClearLocked()
    {
        switch (_current.Kind)
        {
            case InjectedFaultKind.None:
                return;
            case InjectedFaultKind.Disconnect:
                _reconnect!();
                break;
            case InjectedFaultKind.TpmError:
                _setTpmError!(null);
                break;
            default:
                _setStream(SimulatedFault.None);
                break;
        }

        _current = InjectedFault.None;
    }
}
