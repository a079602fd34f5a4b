namespace QrngAppliance.Staking.Registry;

/// <summary>A validator's lifecycle: Active → Unbonding → Unbonded, or Active/Unbonding → Slashed.</summary>
public enum ValidatorStatus
{
    /// <summary>Selectable for security proofs.</summary>
    Active,

    /// <summary>Leaving: no longer selectable, still slashable until the delay has passed.</summary>
    Unbonding,

    /// <summary>Left: stake returned and reserved leaves released.</summary>
    Unbonded,

    /// <summary>Token stake and reserved entropy burned.</summary>
    Slashed,
}
