namespace QrngAppliance.Cli;

/// <summary>The exit codes scripts rely on (DESIGN.md "Command line").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A verification or health check failed.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage or bad input; a one-line message names the problem.</summary>
    public const int Usage = 2;
}
