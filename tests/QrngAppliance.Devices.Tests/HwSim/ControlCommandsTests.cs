using QrngAppliance.HwSim.Cli;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.HwSim;

/// <summary>hwsim's control channel reads faults in the same text form as <c>qrng sim fault</c>, bus events included.</summary>
public sealed class ControlCommandsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Fault_takes_stream_faults_bus_events_and_refuses_a_TPM_error_on_a_TrueRNG()
    {
        await using var sim = SimulatedTrueRng.Start(_dir.File("truerng0"));

        Assert.Equal("ok fault bias:0.6", ControlCommands.Execute(sim, "fault bias 0.6", out _));
        Assert.Equal("ok disconnected", ControlCommands.Execute(sim, "fault disconnect", out _));
        Assert.False(sim.IsConnected);
        Assert.StartsWith("ok reconnected slave=/dev/pts/", ControlCommands.Execute(sim, "fault reconnect", out _), StringComparison.Ordinal);
        Assert.True(sim.IsConnected);
        Assert.StartsWith("error tpm-error needs a TPM", ControlCommands.Execute(sim, "fault tpm-error", out _), StringComparison.Ordinal);
        Assert.StartsWith("error unknown fault 'melted'", ControlCommands.Execute(sim, "fault melted", out _), StringComparison.Ordinal);
        Assert.Equal(SimulatedFault.Bias(0.6), sim.Fault);
    }

    public void Dispose() => _dir.Dispose();
}
