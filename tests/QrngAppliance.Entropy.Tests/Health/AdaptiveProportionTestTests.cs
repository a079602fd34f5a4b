using QrngAppliance.Entropy.Health;

namespace QrngAppliance.Entropy.Tests.Health;

public sealed class AdaptiveProportionTestTests
{
    [Fact]
    public void Apt_counts_the_first_sample_and_alarms_once_when_B_reaches_C()
    {
        var apt = new AdaptiveProportionTest(8, 3);
        // Window 1: A = 5 at 0, again at 2 (B = 2) and 4 (B = 3 → alarm), and 6 (B = 4, no second alarm).
        var alarms = new byte[] { 5, 1, 5, 1, 5, 1, 5, 1 }.Select(apt.Add).ToArray();
        Assert.Equal([false, false, false, false, true, false, false, false], alarms);
        Assert.True(apt.WindowComplete);
        // Window 2 has a new A = 1, so the 5s no longer count.
        alarms = new byte[] { 1, 5, 5, 5, 5, 5, 0, 1 }.Select(apt.Add).ToArray();
        Assert.All(alarms, Assert.False);
    }

    [Fact]
    public void Apt_windows_do_not_carry_counts_across_boundaries()
    {
        var apt = new AdaptiveProportionTest(4, 3);
        // 9 9 | 9 9 | ... each window sees its first value twice at most.
        Assert.All(new byte[] { 9, 9, 0, 1, 9, 9, 2, 3, 9, 9 }.Select(apt.Add), Assert.False);
    }

    [Fact]
    public void Apt_reset_starts_a_new_window()
    {
        var apt = new AdaptiveProportionTest(4, 3);
        apt.Add(2);
        apt.Add(2);
        apt.Reset();
        Assert.False(apt.Add(3));
        Assert.False(apt.Add(2));
        Assert.False(apt.Add(3));
        Assert.True(apt.Add(3));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(8, 1)]
    public void Apt_rejects_degenerate_parameters(int window, int cutoff) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveProportionTest(window, cutoff));
}
