using QrngAppliance.Staking.Tiers;

namespace QrngAppliance.Staking.Escalation;

/// <summary>
/// Tier floor and cost multiplier per network security state. Both must be non-decreasing in severity, so
/// escalation can never make a transaction cheaper or weaker (docs/staking.md, "Security states").
/// </summary>
public sealed class SecurityStateTable
{
    private readonly StateEscalation[] _rows;

    public SecurityStateTable(IEnumerable<StateEscalation> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var states = Enum.GetValues<NetworkSecurityState>();
        _rows = new StateEscalation[states.Length];
        foreach (var row in rows)
        {
            if (_rows[(int)row.State] is not null)
            {
                throw new ArgumentException($"state {row.State} is listed twice", nameof(rows));
            }

            if (row.CostMultiplier < 1m)
            {
                throw new ArgumentException($"state {row.State}: cost multiplier must be at least 1, got {row.CostMultiplier}", nameof(rows));
            }

            _rows[(int)row.State] = row;
        }

        for (var i = 0; i < _rows.Length; i++)
        {
            if (_rows[i] is null)
            {
                throw new ArgumentException($"state {states[i]} is missing", nameof(rows));
            }

            if (i > 0 && (_rows[i].CostMultiplier < _rows[i - 1].CostMultiplier || _rows[i].TierFloor < _rows[i - 1].TierFloor))
            {
                throw new ArgumentException(
                    $"state {states[i]} must not have a lower tier floor or cost multiplier than {states[i - 1]}", nameof(rows));
            }
        }
    }

    /// <summary>
    /// Peaceful: PostQuantum ×1; Elevated: HardenedPQ ×2; Critical: EntropyEnhanced ×4; UnderAttack: QuantumSecured ×8.
    /// The floors follow the seed's comments (Elevated "Tier 2-3", Critical "Tier 3-4", UnderAttack "maximum").
    /// </summary>
    public static SecurityStateTable Default { get; } = new(
    [
        new(NetworkSecurityState.Peaceful, SecurityTier.PostQuantum, 1m),
        new(NetworkSecurityState.Elevated, SecurityTier.HardenedPQ, 2m),
        new(NetworkSecurityState.Critical, SecurityTier.EntropyEnhanced, 4m),
        new(NetworkSecurityState.UnderAttack, SecurityTier.QuantumSecured, 8m),
    ]);

    public IReadOnlyList<StateEscalation> Rows => _rows;

    public StateEscalation this[NetworkSecurityState state] => _rows[(int)state];
}
