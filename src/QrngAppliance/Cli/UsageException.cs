namespace QrngAppliance.Cli;

/// <summary>Bad arguments or input: reported as one line on stderr with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
