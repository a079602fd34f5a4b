namespace QrngAppliance.Entropy.Drbg;

/// <summary>No healthy entropy is available to (re)seed from; the caller should retry later (HTTP 503).</summary>
public sealed class EntropyUnavailableException(string message) : Exception(message);
