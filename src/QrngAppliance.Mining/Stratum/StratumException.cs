namespace QrngAppliance.Mining.Stratum;

/// <summary>The pool broke the protocol or refused the session (subscribe or authorize failed).</summary>
public sealed class StratumException(string message) : Exception(message);
