using QrngAppliance.HwSim.Serial;

namespace QrngAppliance.HwSim.TrueRng;

/// <summary>
/// A TrueRNG as a driver sees it: a tty at <see cref="PtyDeviceSimulator.LinkPath"/> (a symlink to a pty slave,
/// standing in for /dev/ttyACM0) that streams random bytes at a paced rate, with faults on demand. It takes no
/// commands: whatever a driver writes is discarded, as the real firmware does.
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
/// pty limits the simulator fakes (DEVICES.md §3): a pty is not paced by baud, so output is paced on a 10 ms tick;
/// DTR ioctls on the slave fail with ENOTTY, so DTR cannot pause the stream. Bytes are only produced while a driver
/// has the slave open (a master read gives EIO otherwise), and a reader that falls behind loses bytes instead of
/// building a backlog, as a USB device whose host stops polling does.
/// </remarks>
public sealed class SimulatedTrueRng : PtyDeviceSimulator
{
    /// <summary>
    /// Default output rate, bytes per second: mid-range of the truerng-v3 profile (40,000 .. 80,000), so the appliance's
    /// rate check sees a healthy device with margin for a busy CI machine, and a Slow fault (÷10) falls well below it.
    /// </summary>
    public const int DefaultBytesPerSecond = 60_000;

    private SimulatedTrueRng(string linkPath, int bytesPerSecond)
        : base(linkPath, bytesPerSecond, packetMode: false, "hwsim-truerng")
    {
    }

    /// <summary>
    /// Creates the pty, points <paramref name="linkPath"/> at its slave (creating the parent directory, atomically
    /// replacing an existing link) and starts streaming.
    /// </summary>
    /// <param name="bytesPerSecond">Output rate, at least 1.</param>
    /// <param name="fault">Initial fault; null = healthy.</param>
    public static SimulatedTrueRng Start(string linkPath, int bytesPerSecond = DefaultBytesPerSecond, SimulatedFault? fault = null)
    {
        var sim = new SimulatedTrueRng(linkPath, bytesPerSecond);
        if (fault is not null)
        {
            sim.SetFault(fault);
        }

        sim.Start();
        return sim;
    }

    protected override bool IsStreaming => true;

    protected override void OnInput(ReadOnlySpan<byte> data)
    {
        // A TrueRNG has no command set; what a driver writes is dropped.
    }

    protected override void FillStream(Span<byte> output) => Noise.Fill(Fault, output);
}
