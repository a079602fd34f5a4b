namespace QrngAppliance.Staking.Registry;

/// <summary>What a slash destroyed: the whole token stake and exactly the reserved leaves.</summary>
public sealed record SlashRecord(
    string SlashId,
    string Reason,
    string Actor,
    string? Evidence,
    DateTimeOffset At,
    UInt128 BurnedTokenStake,
    IReadOnlyList<long> BurnedLeaves);
