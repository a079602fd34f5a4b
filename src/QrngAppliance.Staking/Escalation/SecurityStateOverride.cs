namespace QrngAppliance.Staking.Escalation;

/// <summary>An operator's forced state, in force from <paramref name="SetAt"/> until cleared or <paramref name="Until"/>.</summary>
public sealed record SecurityStateOverride(
    NetworkSecurityState State, string Operator, string Reason, DateTimeOffset SetAt, DateTimeOffset? Until);
