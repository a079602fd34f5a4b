using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Entropy.Tests.Health;

public sealed class RepetitionCountTestTests
{
    [Fact]
    public void Rct_fails_at_the_cutoff_th_identical_sample_and_once_per_run()
    {
        var rct = new RepetitionCountTest(4);
        var alarms = new[] { 7, 7, 7, 7, 7, 7, 1, 7, 7, 7, 7 }.Select(s => rct.Add((byte)s)).ToArray();
        Assert.Equal([false, false, false, true, false, false, false, false, false, false, true], alarms);
    }

    [Fact]
    public void Rct_first_sample_zero_starts_a_run_rather_than_matching_the_empty_state()
    {
        var rct = new RepetitionCountTest(2);
        Assert.False(rct.Add(0));
        Assert.True(rct.Add(0));
        rct.Reset();
        Assert.False(rct.Add(0));
    }

    [Fact]
    public void Rct_cutoff_below_two_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepetitionCountTest(1));
}
