using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.IntegrationTests.Support;
using QrngAppliance.Simulation;

namespace QrngAppliance.IntegrationTests.Simulation;

/// <summary>The timed clears behind <c>qrng sim fault --for</c>, on a fake clock.</summary>
public sealed class SimulatorFaultsTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly NoiseCircuit _circuit = new(1.65, 0.05);

    [Fact]
    public void A_timed_fault_clears_when_its_time_is_up_and_not_before()
    {
        using var faults = Faults();
        var status = faults.Inject("adc0", InjectedFault.Parse("stuck"), TimeSpan.FromSeconds(5));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(5), status.Until);

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(SimulatedFaultKind.Stuck, _circuit.Fault.Kind);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(SimulatedFault.None, _circuit.Fault);
        Assert.Equal(("none", null), (faults.List().Single().Fault, faults.List().Single().Until));
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Fact]
    public void A_new_fault_replaces_a_timed_one_and_its_timer()
    {
        using var faults = Faults();
        faults.Inject("adc0", InjectedFault.Parse("stuck"), TimeSpan.FromSeconds(5));
        faults.Inject("adc0", InjectedFault.Parse("bias:0.6"), duration: null);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(SimulatedFault.Bias(0.6), _circuit.Fault);
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Theory]
    [InlineData("reconnect", 5.0, "reconnect is over at once; a duration does not apply")]
    [InlineData("stuck", 0.0, "a fault lasts more than 0 and at most 86400 seconds")]
    [InlineData("stuck", 86401.0, "a fault lasts more than 0 and at most 86400 seconds")]
    public void A_duration_that_cannot_apply_is_refused(string fault, double seconds, string message)
    {
        using var faults = new SimulatorFaults(new Dictionary<string, FaultTarget> { ["truerng0"] = FaultTarget.For(new HwSim.Usb.SimulatedChaosKey()) }, _time);

        var e = Assert.Throws<ArgumentException>(() => faults.Inject("truerng0", InjectedFault.Parse(fault), TimeSpan.FromSeconds(seconds)));

        Assert.Equal(message, e.Message);
    }

    private SimulatorFaults Faults() => new(new Dictionary<string, FaultTarget> { ["adc0"] = FaultTarget.For(_circuit) }, _time);
}
