namespace QrngAppliance.Verification;

/// <summary>A pulse-signing public key as <c>GET /v1/keys</c> lists it.</summary>
public sealed record PulseKey(string Algorithm, byte[] PublicKey);
