using QrngAppliance.HwSim.Serial;

namespace QrngAppliance.HwSim.Kernel;

/// <summary>
/// The kernel's <c>/dev/hwrng</c> as a reader sees it: a character device that yields noise bytes on every read and
/// takes no commands. Simulated on a pty (linked at <see cref="PtyDeviceSimulator.LinkPath"/>), which is a character
/// device too, so <c>HwRngEntropySource</c> opens it exactly as it opens the real node; unplugging it is the driver
/// going away (reads fail with EIO), replugging it a fresh node behind the same path.
/// </summary>
public sealed class SimulatedHwRng : PtyDeviceSimulator
{
    /// <summary>Default rate, bytes per second: a fast virtio-rng, well inside the hwrng profile's 100 .. 10,000,000.</summary>
    public const int DefaultBytesPerSecond = 50_000;

    private SimulatedHwRng(string linkPath, int bytesPerSecond)
        : base(linkPath, bytesPerSecond, packetMode: false, "hwsim-hwrng")
    {
    }

    /// <summary>Creates the pty, links it at <paramref name="linkPath"/> and starts streaming.</summary>
    public static SimulatedHwRng Start(string linkPath, int bytesPerSecond = DefaultBytesPerSecond)
    {
        var sim = new SimulatedHwRng(linkPath, bytesPerSecond);
        sim.Start();
        return sim;
    }

    protected override bool IsStreaming => true;

    protected override void OnInput(ReadOnlySpan<byte> data)
    {
        // /dev/hwrng is read-only; nothing is ever written.
    }

    protected override void FillStream(Span<byte> output) => Noise.Fill(Fault, output);
}
