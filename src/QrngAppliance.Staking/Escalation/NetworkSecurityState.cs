namespace QrngAppliance.Staking.Escalation;

/// <summary>The seed's network security states, in increasing severity.</summary>
public enum NetworkSecurityState
{
    Peaceful = 0,
    Elevated = 1,
    Critical = 2,
    UnderAttack = 3,
}
