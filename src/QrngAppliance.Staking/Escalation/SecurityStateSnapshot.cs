using System.Numerics;

namespace QrngAppliance.Staking.Escalation;

/// <summary>What <c>GET /v1/security/state</c> shows.</summary>
/// <param name="State">The state in force (the override's, if one is active).</param>
/// <param name="AutomaticState">The state the signals drive, with hysteresis, ignoring any override.</param>
/// <param name="Since">When <paramref name="AutomaticState"/> was entered.</param>
/// <param name="Causes">Why the signals point where they do now (empty when peaceful).</param>
/// <param name="WhaleActivity">Sum of whale transaction values within the window.</param>
public sealed record SecurityStateSnapshot(
    NetworkSecurityState State,
    NetworkSecurityState AutomaticState,
    DateTimeOffset Since,
    IReadOnlyList<string> Causes,
    BigInteger WhaleActivity,
    SecurityStateOverride? Override);
