namespace QrngAppliance.Cli;

/// <summary>Where a command writes, and whether a person is watching (progress only on a terminal).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, Stream StandardOutput, bool OutputIsTerminal)
{
    public static CliContext FromConsole() =>
        new(Console.Out, Console.Error, Console.OpenStandardOutput(), !Console.IsOutputRedirected);
}
