using System.Text;
using QrngAppliance.Staking.Selection;

namespace QrngAppliance.Staking.Tests.Selection;

public sealed class StakeWeightedSelectionTests
{
    private static readonly byte[] s_pulse = Encoding.ASCII.GetBytes("pulse-42");

    private static ValidatorSet Set(params ulong[] weights) =>
        new(weights.Select((w, i) => new WeightedValidator($"v{i}", w)));

    [Fact]
    public void Selection_is_reproducible_and_independent_of_input_order()
    {
        var set = Set(5, 1, 9, 3, 7, 2);
        var shuffled = new ValidatorSet(set.Members.Reverse());

        var a = StakeWeightedSelection.Select(set, 4, s_pulse, "tx-1");
        var b = StakeWeightedSelection.Select(shuffled, 4, s_pulse, "tx-1");

        Assert.Equal(a, b);
        Assert.Equal(set.Hash, shuffled.Hash);
        Assert.Equal(4, a.Distinct().Count());
    }

    [Fact]
    public void Selection_matches_an_independent_implementation()
    {
        // Computed by a separate Python implementation of docs/staking.md "Validator selection".
        var set = Set(5, 1, 9, 3, 7, 2);

        Assert.Equal(s_expectedVector, StakeWeightedSelection.Select(set, 4, s_pulse, "tx-1"));
    }

    private static readonly string[] s_expectedVector = ["v0", "v2", "v4", "v5"];

    [Fact]
    public void Different_pulses_or_transactions_give_different_draws()
    {
        var set = Set([.. Enumerable.Repeat(10UL, 50)]);
        var draws = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            draws.Add(string.Join(",", StakeWeightedSelection.Select(set, 3, Encoding.ASCII.GetBytes($"pulse-{i}"), "tx")));
            draws.Add(string.Join(",", StakeWeightedSelection.Select(set, 3, s_pulse, $"tx-{i}")));
        }

        Assert.True(draws.Count >= 38, $"only {draws.Count} distinct draws of 40");
    }

    [Fact]
    public void Asking_for_every_validator_returns_all_of_them()
    {
        var set = Set(1, 2, 3, 4, 5, 6, 7);

        Assert.Equal(set.Members.Select(m => m.Id).Order(), StakeWeightedSelection.Select(set, 7, s_pulse, "tx").Order());
    }

    [Fact]
    public void Asking_for_more_validators_than_exist_fails()
    {
        var error = Assert.Throws<NotEnoughValidatorsException>(() => StakeWeightedSelection.Select(Set(1, 2), 3, s_pulse, "tx"));

        Assert.Equal((3, 2), (error.Required, error.Available));
    }

    [Fact]
    public void Single_draws_are_stake_proportional()
    {
        // Chi-square goodness of fit over 20,000 seeded draws; 4 degrees of freedom, critical value 18.47 at p = 0.001.
        ulong[] weights = [1, 2, 3, 4, 10];
        var set = Set(weights);
        var counts = new int[weights.Length];
        const int Draws = 20_000;
        for (var i = 0; i < Draws; i++)
        {
            counts[int.Parse(StakeWeightedSelection.Select(set, 1, s_pulse, $"tx-{i}")[0][1..], System.Globalization.CultureInfo.InvariantCulture)]++;
        }

        var total = weights.Sum(w => (double)w);
        var chiSquare = weights.Select((w, i) => Math.Pow(counts[i] - (Draws * w / total), 2) / (Draws * w / total)).Sum();
        Assert.True(chiSquare < 18.47, $"chi-square {chiSquare:F2}, counts {string.Join(",", counts)}");
    }

    [Fact]
    public void In_multi_validator_draws_a_larger_stake_is_chosen_more_often()
    {
        // Without replacement inclusion is not exactly proportional, but it is monotone in stake.
        ulong[] weights = [1, 2, 4, 8, 16, 32, 64];
        var set = Set(weights);
        var counts = new int[weights.Length];
        for (var i = 0; i < 3_000; i++)
        {
            foreach (var id in StakeWeightedSelection.Select(set, 3, s_pulse, $"tx-{i}"))
            {
                counts[id[1] - '0']++;
            }
        }

        for (var i = 1; i < counts.Length; i++)
        {
            Assert.True(counts[i] > counts[i - 1], $"counts {string.Join(",", counts)}");
        }
    }

    [Fact]
    public void Weights_near_two_to_the_128_are_drawn_without_overflow_or_bias()
    {
        var set = new ValidatorSet([new WeightedValidator("a", UInt128.MaxValue), new WeightedValidator("b", UInt128.MaxValue / 3)]);
        var a = 0;
        const int Draws = 4_000;
        for (var i = 0; i < Draws; i++)
        {
            a += StakeWeightedSelection.Select(set, 1, s_pulse, $"tx-{i}")[0] == "a" ? 1 : 0;
        }

        // p = 3/4, σ = sqrt(4000 · 3/16) ≈ 27.4: within 5σ.
        Assert.InRange(a, 3000 - 137, 3000 + 137);
    }

    [Fact]
    public void A_zero_weight_or_duplicate_validator_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Set(1, 0));
        Assert.Throws<ArgumentException>(() => new ValidatorSet([new WeightedValidator("a", 1), new WeightedValidator("a", 2)]));
    }
}
