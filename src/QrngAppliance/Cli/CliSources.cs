using QrngAppliance.Configuration;
using QrngAppliance.Devices.Discovery;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Cli;

/// <summary>
/// The sources a one-shot verb (devices, selftest, read) works on: the configured ones (after <c>--sim</c> adds its
/// devices) and, when discovery is on, the discovered ones, with the reasons anything was skipped.
/// </summary>
internal sealed class CliSources : IAsyncDisposable
{
    private readonly SimulatedDevices? _sim;

    private CliSources(SimulatedDevices? sim, DeviceSourceResolver resolver, IReadOnlyList<SourceDefinition> configured,
        IReadOnlyList<SourceDefinition> discovered, IReadOnlyList<SkippedDevice> skipped)
    {
        _sim = sim;
        Resolver = resolver;
        Configured = configured;
        Discovered = discovered;
        Skipped = skipped;
    }

    public DeviceSourceResolver Resolver { get; }

    public IReadOnlyList<SourceDefinition> Configured { get; }

    public IReadOnlyList<SourceDefinition> Discovered { get; }

    public IEnumerable<SourceDefinition> All => Configured.Concat(Discovered);

    public IReadOnlyList<SkippedDevice> Skipped { get; }

    /// <summary>Reads --config, --data, --sim, --sim-devices (and the hidden --sim-fault); configuration errors are usage errors (exit 2).</summary>
    public static async Task<CliSources> OpenAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var fault = SimulatedDevices.ParseFault(args);
        var selection = SimulatedDevices.ParseSelection(args);
        ApplianceOptions options;
        DeviceSourceResolver resolver;
        try
        {
            options = ApplianceConfiguration.Load(args.Value("--config"));
            if (args.Value("--data") is { } data)
            {
                options.DataDir = data;
            }

            ApplianceOptionsValidator.Validate(options);
            resolver = DeviceSourceResolver.Load(options.ProfilesDir);
        }
        catch (ConfigurationException e)
        {
            throw new UsageException(e.Message);
        }

        var sim = args.Flag("--sim") ? await SimulatedDevices.StartAsync(options, fault, selection, context.Error, cancellationToken) : null;
        try
        {
            if (sim is not null)
            {
                resolver = sim.Attach(resolver);
            }

            var configured = options.Sources.Select((s, i) => resolver.Resolve(s, i)).ToList();
            IReadOnlyList<SourceDefinition> discovered = [];
            IReadOnlyList<SkippedDevice> skipped = [];
            if (options.Discovery ?? true)
            {
                (discovered, skipped) = SourceDiscovery.FromOptions(options, resolver).Scan(configured.Select(c => c.Path).ToHashSet(StringComparer.Ordinal));
                discovered = [.. discovered.Where(d => configured.All(c => c.Id != d.Id))];
            }

            return new CliSources(sim, resolver, configured, discovered, skipped);
        }
        catch (ConfigurationException e)
        {
            if (sim is not null)
            {
                await sim.DisposeAsync();
            }

            throw new UsageException(e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sim is not null)
        {
            await _sim.DisposeAsync();
        }
    }
}
