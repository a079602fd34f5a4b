namespace QrngAppliance.Cli;

/// <summary>Dispatches <c>qrng VERB ...</c> and maps failures to the documented exit codes.</summary>
public static class CliApp
{
    /// <summary>Every verb, in the order <c>qrng --help</c> lists them.</summary>
    public static IReadOnlyList<ICliCommand> Commands { get; } =
    [
        new RunCommand(),
        new AssessCommand(),
        new StakeCommand(),
        new BenchCommand(),
        new MineCommand(),
        new VerifyCommand(),
        new WatchCommand(),
        new TokenCommand(),
        new DevicesCommand(),
        new SelftestCommand(),
        new HealthCommand(),
        new ReadCommand(),
        new SimCommand(),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            await context.Out.WriteAsync(Overview());
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        if (args[0] is "--version" or "-V")
        {
            await context.Out.WriteLineAsync("qrng " + ManPage.Version);
            return ExitCodes.Success;
        }

        if (args[0] == "--man")
        {
            await context.Out.WriteAsync(ManPage.Render(Commands));
            return ExitCodes.Success;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            await context.Error.WriteLineAsync($"qrng: unknown command '{args[0]}' (try 'qrng --help')");
            return ExitCodes.Usage;
        }

        var rest = args.Skip(1).ToArray();
        if (rest.Any(a => a is "--help" or "-h"))
        {
            await context.Out.WriteLineAsync(command.Usage);
            return ExitCodes.Success;
        }

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var parsed = CommandArgs.Parse(rest, command.Flags, command.ValuedOptions);
            return await command.RunAsync(parsed, context, cancellation.Token);
        }
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync($"qrng {command.Name}: {e.Message}");
            return ExitCodes.Usage;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static string Overview()
    {
        var lines = new List<string>
        {
            "usage: qrng COMMAND [options]   (qrng COMMAND --help for details)",
            "       qrng --version | --man   (the version; the qrng(1) man page in roff)", "", "commands:",
        };
        var width = Commands.Count == 0 ? 0 : Commands.Max(c => c.Name.Length);
        lines.AddRange(Commands.Select(c => $"  {c.Name.PadRight(width)}  {c.Summary}"));
        return string.Join('\n', lines) + "\n";
    }
}
