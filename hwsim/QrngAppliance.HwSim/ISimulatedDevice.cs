using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim;

/// <summary>What the control channel can do with any pty-backed simulated device: faults, unplug, replug, status.</summary>
public interface ISimulatedDevice : IAsyncDisposable
{
    /// <summary>The device path drivers open.</summary>
    string LinkPath { get; }

    /// <summary>The pty slave behind the link, or null while unplugged.</summary>
    string? SlavePath { get; }

    /// <summary>True while plugged in.</summary>
    bool IsConnected { get; }

    /// <summary>Whether a driver has the device open.</summary>
    bool IsReaderAttached { get; }

    /// <summary>Nominal output rate, bytes per second.</summary>
    int BytesPerSecond { get; }

    /// <summary>Bytes sent so far.</summary>
    long BytesWritten { get; }

    /// <summary>The injected fault.</summary>
    SimulatedFault Fault { get; }

    /// <summary>Changes the injected fault.</summary>
    void SetFault(SimulatedFault fault);

    /// <summary>Unplug.</summary>
    void Disconnect();

    /// <summary>Replug.</summary>
    void Reconnect();
}
