namespace QrngAppliance.Entropy.Sources;

/// <summary>The device behind a source went away (unplugged, EOF, EIO); the source may come back.</summary>
public sealed class SourceDisconnectedException(string message, Exception? inner = null) : IOException(message, inner);
