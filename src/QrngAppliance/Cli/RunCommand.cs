using QrngAppliance.Configuration;
using QrngAppliance.Api;
using QrngAppliance.Devices.Kernel;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Cli;

/// <summary><c>qrng run [--sim] [--config FILE] [--urls URL] [--data DIR]</c>: runs the appliance until stopped.</summary>
public sealed class RunCommand : ICliCommand
{
    public string Name => "run";

    public string Summary => "run the appliance (--sim: against simulated devices, SQLite under ./data)";

    public string Usage => """
        usage: qrng run [--sim] [--sim-devices LIST] [--config FILE] [--urls URL] [--data DIR]
          --sim          run against every model hwsim simulates, each read by its real driver: TrueRNG v3
                         (truerng0), TrueRNGpro (truerngpro0) and OneRNG (onerng0) on real ptys, Quantis USB
                         (quantis0) and ChaosKey (chaoskey0) at the libusb seam, swtpm when installed (tpm0), a
                         kernel hwrng (hwrng0), MCP3008 and ADS1115 noise circuits (adc0, adc1); faults on demand
                         with 'qrng sim fault'; sysfs discovery is off unless Appliance:Discovery is true
          --sim-devices L  with --sim, only these models (comma-separated: truerng, truerngpro, onerng, quantis,
                           chaoskey, tpm, hwrng, mcp3008, ads1115; default all)
          --config FILE  JSON configuration (section "Appliance"; see README); QRNG_Appliance__* env vars override it
          --urls URL     where the HTTP API listens (default Appliance:Urls, else http://127.0.0.1:8080)
          --data DIR     state folder: journal and keys (default ./data, or Appliance:DataDir)
        """;

    public IReadOnlyList<string> Flags { get; } = ["--sim"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--config", "--urls", "--data", "--sim-fault", "--sim-devices"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "");
        ApplianceOptions options;
        try
        {
            options = ApplianceConfiguration.Load(args.Value("--config"));
        }
        catch (ConfigurationException e)
        {
            throw new UsageException(e.Message);
        }

        if (args.Value("--data") is { } data)
        {
            options.DataDir = data;
        }

        var (urlsText, urlsKey) = args.Value("--urls") is { } given ? (given, "--urls") : (options.Urls ?? ApplianceHost.DefaultUrl, "Appliance:Urls");
        var urls = urlsText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0 || urls.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new UsageException($"{urlsKey} must be http(s) URLs separated by ';', got '{urlsText}'");
        }

        var fault = SimulatedDevices.ParseFault(args);
        var selection = SimulatedDevices.ParseSelection(args);
        SimulatedDevices? sim = null;
        // The simulators' notices wait until the API listens: a startup that fails prints its one line and nothing else.
        var notices = new StringWriter();
        try
        {
            if (args.Flag("--sim"))
            {
                sim = await SimulatedDevices.StartAsync(options, fault, selection, notices, cancellationToken);
            }

            await using var app = await BuildAsync(options, urls, sim, cancellationToken);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception e) when (ListenFailure.Describe(e, urls) is { } reason)
            {
                throw new UsageException(reason);
            }

            await context.Error.WriteAsync(notices.ToString());
            // The bound addresses, not the requested ones: with port 0 this line is how a caller learns the port.
            await context.Error.WriteLineAsync($"qrng: listening on {string.Join(", ", app.Urls)}; data in {Path.GetFullPath(options.DataDir)}");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        finally
        {
            if (sim is not null)
            {
                await sim.DisposeAsync();
            }
        }
    }

    internal static async Task<WebApplication> BuildAsync(ApplianceOptions options, string[] urls, SimulatedDevices? sim, CancellationToken cancellationToken)
    {
        try
        {
            var resolver = DeviceSourceResolver.Load(options.ProfilesDir);
            if (sim is not null)
            {
                resolver = sim.Attach(resolver);
            }

            var sink = options.KernelSink ? OpenKernelSink() : null;
            var discovery = options.Discovery ?? true ? SourceDiscovery.FromOptions(options, resolver) : null;
            var app = await ApplianceHost.BuildAsync(
                options,
                source => resolver.Resolve(source, options.Sources.IndexOf(source)),
                urls,
                builder =>
                {
                    if (discovery is not null)
                    {
                        builder.Services.AddSourceDiscovery(discovery, options);
                    }

                    if (sink is not null)
                    {
                        builder.Services.AddKernelSink(sink, options);
                    }
                },
                cancellationToken: cancellationToken);
            if (sim is not null)
            {
                // Only a simulated appliance has devices to break on purpose; a real one never maps these routes.
                app.MapSimulatorEndpoints(sim.Control);
            }

            return app;
        }
        catch (ConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>The kernel sink, or the startup error an operator can act on (CAP_SYS_ADMIN missing).</summary>
    internal static KernelEntropySink OpenKernelSink()
    {
        try
        {
            return KernelSinkService.OpenChecked();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ConfigurationException($"{ApplianceOptions.Section}:KernelSink",
                $"cannot feed the kernel ({e.Message}); run with CAP_SYS_ADMIN (AmbientCapabilities=CAP_SYS_ADMIN) or set KernelSink to false");
        }
    }
}
