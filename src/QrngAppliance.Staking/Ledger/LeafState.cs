namespace QrngAppliance.Staking.Ledger;

/// <summary>Where a pool leaf stands with respect to once-only use.</summary>
public enum LeafState
{
    /// <summary>In the pool, neither reserved nor used.</summary>
    Available,

    /// <summary>Held as a validator's entropy stake.</summary>
    Reserved,

    /// <summary>Used once, bound to a request id.</summary>
    Consumed,

    /// <summary>Destroyed by slashing; can never be used.</summary>
    Burned,

    /// <summary>
    /// Was a stake that ended by unbonding: the validator's claim is over, but the leaves stay spent (the once-only
    /// ledger is append-only), so like Burned they are never used again, without the penalty.
    /// </summary>
    Released,

    /// <summary>Beyond the pool's current tree size.</summary>
    Unknown,
}
