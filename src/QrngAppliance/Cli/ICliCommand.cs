namespace QrngAppliance.Cli;

/// <summary>One verb of <c>qrng</c>.</summary>
public interface ICliCommand
{
    string Name { get; }

    /// <summary>One line for the verb list.</summary>
    string Summary { get; }

    /// <summary>The full usage text shown by <c>qrng VERB --help</c>.</summary>
    string Usage { get; }

    /// <summary>Options that take no value, with their dashes (e.g. <c>--json</c>).</summary>
    IReadOnlyList<string> Flags { get; }

    /// <summary>Options that take a value, with their dashes (e.g. <c>--bits</c>).</summary>
    IReadOnlyList<string> ValuedOptions { get; }

    /// <summary>Runs the verb; throws <see cref="UsageException"/> for bad arguments or input.</summary>
    Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken);
}
