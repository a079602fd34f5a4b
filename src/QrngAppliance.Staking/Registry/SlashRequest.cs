namespace QrngAppliance.Staking.Registry;

/// <summary><c>POST /v1/validators/{id}/slash</c>. <paramref name="SlashId"/> makes a retried request idempotent.</summary>
public sealed record SlashRequest(string SlashId, string Reason, string Actor, string? Evidence = null);
