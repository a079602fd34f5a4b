namespace QrngAppliance.Staking.Escalation;

/// <summary>Names of <see cref="NetworkSecurityState"/> as written on the command line and in the API.</summary>
public static class NetworkSecurityStates
{
    /// <summary>The wire names, in severity order: <c>peaceful</c>, <c>elevated</c>, <c>critical</c>, <c>under-attack</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["peaceful", "elevated", "critical", "under-attack"];

    public static string ToName(NetworkSecurityState state) => Names[(int)state];

    /// <summary>Accepts the wire name or the enum name, case-insensitively (<c>under-attack</c>, <c>UnderAttack</c>).</summary>
    public static bool TryParse(string? text, out NetworkSecurityState state)
    {
        state = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var folded = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        foreach (var candidate in Enum.GetValues<NetworkSecurityState>())
        {
            if (string.Equals(candidate.ToString(), folded, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        return false;
    }
}
