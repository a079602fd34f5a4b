using QrngAppliance.Configuration;
using QrngAppliance.Devices.Kernel;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Cli;

/// <summary><c>qrng run [--sim] [--config FILE] [--urls URL] [--data DIR]</c>: runs the appliance until stopped.</summary>
public sealed class RunCommand : ICliCommand
{
    public string Name => "run";

    public string Summary => "run the appliance (--sim: against simulated devices, SQLite under ./data)";

    public string Usage => """
        usage: qrng run [--sim] [--config FILE] [--urls URL] [--data DIR]
          --sim          start a simulated TrueRNG (hwsim, on a real pty) read like /dev/ttyACM0 (source truerng0),
                         noise circuits on a simulated MCP3008 (SPI, source adc0) and ADS1115 (I2C, source adc1) and,
                         when swtpm is installed, a software TPM on 127.0.0.1 (source tpm0); sysfs discovery is off
                         unless Appliance:Discovery is true
          --config FILE  JSON configuration (section "Appliance"; see README); QRNG_Appliance__* env vars override it
          --urls URL     where the HTTP API listens (default Appliance:Urls, else http://127.0.0.1:8080)
          --data DIR     state folder: journal and keys (default ./data, or Appliance:DataDir)
        """;

    public IReadOnlyList<string> Flags { get; } = ["--sim"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--config", "--urls", "--data", "--sim-fault", "--sim-fault-after"];

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
        var faultDelay = SimulatedDevices.ParseFaultDelay(args);
        SimulatedDevices? sim = null;
        // The simulators' notices wait until the API listens: a startup that fails prints its one line and nothing else.
        var notices = new StringWriter();
        try
        {
            if (args.Flag("--sim"))
            {
                sim = await SimulatedDevices.StartAsync(options, faultDelay is null ? fault : null, notices, cancellationToken);
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
            await context.Error.WriteLineAsync($"qrng: listening on {string.Join(", ", urls)}; data in {Path.GetFullPath(options.DataDir)}");
            if (sim is not null && fault is not null && faultDelay is { } delay)
            {
                sim.StartFaultAfter(fault, delay, context.Error);
            }
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
            var resolver = DeviceSourceResolver.Load(options.ProfilesDir, sim?.AdcBus);
            var sink = options.KernelSink ? OpenKernelSink() : null;
            var discovery = options.Discovery ?? true ? SourceDiscovery.FromOptions(options, resolver) : null;
            return await ApplianceHost.BuildAsync(
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
