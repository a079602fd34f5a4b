using QrngAppliance.HwSim.Cli;

return await HwSimCli.RunAsync(args);
