using QrngAppliance.HwSim.Adc;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.Tpm;
using QrngAppliance.HwSim.TrueRng;
using QrngAppliance.HwSim.Usb;

namespace QrngAppliance.Devices.Tests.Faults;

/// <summary>What each kind of simulated device can take, and how a fault reaches it and goes away (issue 12.4).</summary>
public sealed class FaultTargetTests
{
    [Fact]
    public async Task The_TPM_takes_every_kind_a_USB_stick_all_but_tpm_error_and_a_noise_circuit_no_bus_event()
    {
        await using var proxy = FaultingTpmProxy.Start(upstreamPort: 1);
        var every = Enum.GetValues<InjectedFaultKind>().Where(k => k != InjectedFaultKind.None).ToHashSet();

        Assert.Equal(every, FaultTarget.For(proxy).Accepts.ToHashSet());
        Assert.Equal(every.Where(k => k != InjectedFaultKind.TpmError).ToHashSet(), FaultTarget.For(new SimulatedQuantisUsb()).Accepts.ToHashSet());
        Assert.Equal([InjectedFaultKind.Stuck, InjectedFaultKind.Bias, InjectedFaultKind.Correlation, InjectedFaultKind.Slow, InjectedFaultKind.Garbage],
            FaultTarget.For(new NoiseCircuit(1.65, 0.05)).Accepts.Order());
    }

    [Fact]
    public void A_kind_the_device_cannot_take_is_refused_and_changes_nothing()
    {
        var circuit = new NoiseCircuit(1.65, 0.05);
        var target = FaultTarget.For(circuit);
        target.Inject(InjectedFault.OfStream(SimulatedFault.Bias(0.6)));

        Assert.Throws<NotSupportedException>(() => target.Inject(InjectedFault.Disconnect));
        Assert.Throws<NotSupportedException>(() => target.Inject(InjectedFault.TpmError()));
        Assert.Equal("bias:0.6", target.Current.ToString());
        Assert.Equal(SimulatedFault.Bias(0.6), circuit.Fault);
    }

    [Fact]
    public void A_disconnect_lasts_until_the_clear_a_reconnect_is_over_at_once_and_a_new_fault_replaces_the_old()
    {
        var stick = new SimulatedChaosKey();
        var target = FaultTarget.For(stick);

        target.Inject(InjectedFault.Disconnect);
        Assert.False(stick.IsConnected);
        target.Inject(InjectedFault.Parse("stuck"));
        Assert.True(stick.IsConnected); // the stuck fault replaced the unplug
        Assert.Equal(SimulatedFaultKind.Stuck, stick.Fault.Kind);

        target.Inject(InjectedFault.Reconnect);
        Assert.True(stick.IsConnected);
        Assert.Equal(SimulatedFault.None, stick.Fault);
        Assert.Equal(InjectedFault.None, target.Current);

        target.Inject(InjectedFault.Disconnect);
        target.Clear();
        Assert.True(stick.IsConnected);
        Assert.Equal(InjectedFault.None, target.Current);
    }
}
