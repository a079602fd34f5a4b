namespace QrngAppliance.Staking.Escalation;

/// <summary>What a <see cref="SecurityStateAuditEntry"/> records.</summary>
public enum SecurityStateAuditAction
{
    /// <summary>The automatic state moved (escalation or a calm step down).</summary>
    Transition = 0,

    /// <summary>An operator forced a state.</summary>
    OverrideSet = 1,

    /// <summary>An operator removed the override.</summary>
    OverrideCleared = 2,

    /// <summary>The override reached its expiry time.</summary>
    OverrideExpired = 3,
}
