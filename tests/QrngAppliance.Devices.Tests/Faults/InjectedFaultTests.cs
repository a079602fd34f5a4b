using QrngAppliance.HwSim.Faults;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Faults;

/// <summary>The one fault text form hwsim's control channel, --sim-fault and qrng sim fault share (issue 12.4).</summary>
public sealed class InjectedFaultTests
{
    [Theory]
    [InlineData("stuck", InjectedFaultKind.Stuck, "stuck:0xa5")]
    [InlineData("STUCK:0x00", InjectedFaultKind.Stuck, "stuck:0x00")]
    [InlineData("bias:0.6", InjectedFaultKind.Bias, "bias:0.6")]
    [InlineData("correlation", InjectedFaultKind.Correlation, "correlation:0.5")]
    [InlineData("slow:4", InjectedFaultKind.Slow, "slow:4")]
    [InlineData("garbage:300", InjectedFaultKind.Garbage, "garbage:300")]
    [InlineData("disconnect", InjectedFaultKind.Disconnect, "disconnect")]
    [InlineData("reconnect", InjectedFaultKind.Reconnect, "reconnect")]
    [InlineData("tpm-error", InjectedFaultKind.TpmError, "tpm-error:0x101")]
    [InlineData("tpm-error:0x922", InjectedFaultKind.TpmError, "tpm-error:0x922")]
    [InlineData("none", InjectedFaultKind.None, "none")]
    public void Each_kind_parses_and_prints_a_form_that_parses_back(string text, InjectedFaultKind kind, string printed)
    {
        var fault = InjectedFault.Parse(text);

        Assert.Equal(kind, fault.Kind);
        Assert.Equal(printed, fault.ToString());
        Assert.Equal(fault, InjectedFault.Parse(printed));
    }

    [Fact]
    public void A_stream_kind_carries_the_same_fault_the_devices_take()
    {
        Assert.Equal(SimulatedFault.Bias(0.6), InjectedFault.Parse("bias:0.6").Stream);
        Assert.Equal(SimulatedFault.None, InjectedFault.Parse("disconnect").Stream);
    }

    [Theory]
    [InlineData("melted", "unknown fault 'melted'")]
    [InlineData("bias:7", "bad argument in 'bias:7'")]
    [InlineData("bias:nan", "bad argument in 'bias:nan'")]
    [InlineData("slow:1", "bad argument in 'slow:1'")]
    [InlineData("garbage:5000", "bad argument in 'garbage:5000'")]
    [InlineData("stuck:256", "bad argument in 'stuck:256'")]
    [InlineData("disconnect:5", "disconnect takes no argument")]
    [InlineData("tpm-error:0", "is not a TPM error response code")]
    [InlineData("tpm-error:0x1000", "is not a TPM error response code")]
    [InlineData("tpm-error:banana", "is not a TPM error response code")]
    public void Bad_text_is_refused_naming_it(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => InjectedFault.Parse(text));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_lists_the_eight_kinds_of_the_issue_in_order()
    {
        Assert.Equal(["stuck", "bias", "correlation", "slow", "disconnect", "reconnect", "garbage", "tpm-error"], InjectedFault.Names);
        Assert.All(InjectedFault.Names, n => Assert.Equal(n, InjectedFault.NameOf(InjectedFault.Parse(n).Kind)));
    }
}
