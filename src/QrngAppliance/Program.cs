using QrngAppliance.Cli;

return await CliApp.RunAsync(args, CliContext.FromConsole());
