using Microsoft.Extensions.Options;
using QrngAppliance.Api;
using QrngAppliance.Configuration;
using QrngAppliance.Dashboard;
using QrngAppliance.Entropy.Drbg;
using QrngAppliance.Entropy.Health;
using QrngAppliance.Keys;
using QrngAppliance.Metrics;
using QrngAppliance.Pipeline;
using QrngAppliance.PoolMining;
using QrngAppliance.Proofs.Signing;
using QrngAppliance.Staking;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Staking.Registry;
using ProofsProfileHash = QrngAppliance.Proofs.Pulses.ProfileHash;
using QrngAppliance.Storage;
using QrngAppliance.Storage.Consumption;
using QrngAppliance.Storage.Postgres;
using QrngAppliance.Storage.Sqlite;
using Microsoft.Extensions.Hosting.Systemd;
using QrngAppliance.Systemd;

namespace QrngAppliance;

/// <summary>Builds the appliance: journal, keys, pool, pulse chain, one worker per source, and the HTTP API.</summary>
public static class ApplianceHost
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>
    /// Builds the web application. <paramref name="resolveSource"/> binds each configured source to its profile
    /// and driver; configuration problems surface as <see cref="ConfigurationException"/>. <paramref name="onWindowReleased"/>
    /// observes every health window released to the conditioner (audit taps and tests).
    /// </summary>
    public static async Task<WebApplication> BuildAsync(
        ApplianceOptions options,
        Func<SourceOptions, SourceDefinition> resolveSource,
        string[] urls,
        Action<WebApplicationBuilder>? configure = null,
        Action<string, ReleasedWindow>? onWindowReleased = null,
        CancellationToken cancellationToken = default)
    {
        ApplianceOptionsValidator.Validate(options);
        var definitions = options.Sources.Select(resolveSource).ToList();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddApplianceConsole(SystemdHelpers.IsSystemdService());
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var time = TimeProvider.System;
        var metrics = new ApplianceMetrics();
        PrivateDataDirectory.Secure(options.DataDir);
        var journal = await SqliteJournal.OpenAsync(Path.Combine(options.DataDir, "qrng.db"), cancellationToken);
        var ed25519 = SigningKeyStore.LoadOrCreateEd25519(options.DataDir);
        IReadOnlyList<IPulseSigner> signers = [ed25519, SigningKeyStore.LoadOrCreateMlDsa65(options.DataDir)];
        var applianceId = options.ApplianceId ?? PulseChain.StoredApplianceId(options.DataDir) ?? "qrng-" + Convert.ToHexStringLower(ed25519.KeyId);
        var pool = await AttestedPool.LoadAsync(journal, metrics, options.PoolCapacity, cancellationToken);
        var registry = new SourceRegistry();
        using var bootLogger = LoggerFactory.Create(b => b.AddApplianceConsole(SystemdHelpers.IsSystemdService()));
        TpmPulseQuoter? quoter;
        try
        {
            quoter = await PulseQuoting.CreateQuoterAsync(options.TpmQuote, definitions, bootLogger.CreateLogger<TpmPulseQuoter>(), cancellationToken);
        }
        catch
        {
            // swtpm serves one client at a time: a connection left open by a failed start would block the next one.
            foreach (var tpm in definitions.Select(d => d.Tpm).OfType<Devices.Tpm.TpmConnection>())
            {
                await tpm.DisposeAsync();
            }

            throw;
        }

        var chainSettings = new PulseChainSettings(
            applianceId, TimeSpan.FromSeconds(options.PulsePeriodSeconds), options.DataDir, SigningKeyStore.LoadOrCreateLocalRandomKey(options.DataDir),
            [.. definitions.Where(d => d.ProfileSha256 is not null).Select(d => new ProofsProfileHash(d.Id, d.ProfileSha256!))], quoter);
        var chain = await PulseChain.LoadAsync(journal, pool, registry, signers, chainSettings, time, bootLogger.CreateLogger<PulseChain>(), cancellationToken);
        // The consumption ledger shares the journal's SQLite file unless a PostgreSQL one is configured.
        IConsumptionLedger ledger = options.LedgerPostgres is { } pg
            ? await PostgresConsumptionLedger.OpenAsync(pg, options.LedgerPostgresSchema, cancellationToken)
            : await SqliteConsumptionLedger.OpenAsync(journal.Path, cancellationToken);
        var consumption = new AttestedConsumption(
            pool, chain, journal, ledger, time, TimeSpan.FromSeconds(options.PulsePeriodSeconds), options.Entropy.ReserveFor(options.PoolCapacity));
        // Every DRBG reseed spends a leaf in the ledger too, so no leaf is ever used twice in any way: one ledger row
        // per reseed (per stripe at most every ReseedInterval or ReseedBytes), not per request.
        var drbg = new StripedCtrDrbg(consumption.TakeReseedBlockAsync, time, options.Entropy.BuildReseedPolicy(), options.Entropy.DrbgStripes);
        var securityProofs = await SqliteSecurityProofStore.OpenAsync(journal.Path, cancellationToken);
        var validators = await SqliteValidatorRegistryStore.OpenAsync(journal.Path, cancellationToken);
        var registryOptions = options.Staking.BuildRegistryOptions();
        var stakeLedger = new ApplianceEntropyLeafLedger(pool, ledger, validators, time);
        var validatorRegistry = new ValidatorRegistry(
            validators, stakeLedger, PulseAttestation.ApplianceVerifier(chain.ApplianceId, () => chain.ChainInfo.Keys, options.Staking.BuildTrustedKeyIds()),
            registryOptions, time);
        var securityAudit = SqliteSecurityStateAuditLog.Open(journal.Path);

        var services = builder.Services;
        services.AddSingleton<IApplianceJournal>(journal);
        services.AddSingleton(time);
        services.AddApplianceMetrics(metrics);
        services.AddSingleton<IPipelineMetrics>(metrics);
        metrics.SetSourceStateProvider(() => registry.All.Select(s => KeyValuePair.Create(s.Id, s.State)));
        metrics.SetSourceDegradedProvider(() => registry.All.Select(s => KeyValuePair.Create(s.Id, s.Degraded)));
        metrics.SetPoolLeavesProvider(() => pool.Pool.Depth);
        metrics.SetPoolCapacityProvider(() => pool.Pool.Capacity);
        metrics.SetLogTreeSizeProvider(() => pool.Log.Size);
        metrics.SetPulseAgeProvider(() => chain.Latest is { } latest ? time.GetUtcNow() - latest.Time : null);
        metrics.SetReadinessProvider(() => registry.AnyHealthy);
        var progress = new PipelineProgressProbe(chain);
        services.AddSingleton<IWatchdogProgressProbe>(progress);
        services.AddSystemdIntegration();
        services.AddHostedService(sp => new ReadinessReporter(registry, sp.GetRequiredService<ISystemdNotifier>(), time, sp.GetRequiredService<ILogger<ReadinessReporter>>()));
        services.AddSingleton(pool);
        services.AddSingleton(registry);
        var history = new HealthHistory();
        services.AddSingleton(history);
        services.AddSingleton<IHostedService>(sp => new HealthHistoryService(history, registry, pool, time, sp.GetRequiredService<ILogger<HealthHistoryService>>()));
        services.AddSingleton(chain);
        services.AddSingleton(drbg);
        services.AddSingleton(consumption);
        services.AddSingleton(new BearerTokens(options.Tokens));
        services.AddApplianceRateLimits(options.RateLimits, metrics);
        services.AddSingleton(Options.Create(options));
        services.AddStaking(options.Staking.BuildPolicy(), consumption, validatorRegistry, securityProofs, time, securityAudit, new AttestedPoolDepth(pool), metrics, PulseAttestation.Signer(signers));
        services.AddSingleton(validators);
        services.AddSingleton<IEntropyLeafLedger>(stakeLedger);
        services.AddSingleton<IHostedService>(sp => new UnbondingService(
            validatorRegistry, UnbondingService.PeriodFor(registryOptions.UnbondingDelay), time, sp.GetRequiredService<ILogger<UnbondingService>>()));
        foreach (var definition in definitions)
        {
            var status = registry.Add(SourceStatus.For(definition));
            metrics.PublishSourceZeroes(definition.Id);
            services.AddSingleton<IHostedService>(sp => new SourceWorker(
                definition, status, pool, metrics, sp.GetRequiredService<ILogger<SourceWorker>>(), time)
            {
                OnWindowReleased = onWindowReleased,
                RateWindow = TimeSpan.FromSeconds(options.Health.RateWindowSeconds),
                SlowAfter = TimeSpan.FromSeconds(options.Health.SlowAfterSeconds),
            });
        }

        services.AddSingleton(sp =>
        {
            var mining = new MiningService(options.Mining, time, sp.GetRequiredService<ILogger<MiningService>>());
            metrics.SetMiningProvider(() =>
            {
                var totals = mining.Totals;
                return new MiningMetricsSnapshot(
                    mining.Running, mining.Current?.State == Mining.Stratum.PoolState.Mining, mining.Running ? mining.HashesPerSecond : 0,
                    totals.Hashes, totals.Accepted, totals.Rejected, totals.Stale);
            });
            return mining;
        });
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MiningService>());
        services.AddSingleton<IHostedService>(sp => new PulseService(
            chain, metrics, TimeSpan.FromSeconds(options.PulsePeriodSeconds), time, sp.GetRequiredService<ILogger<PulseService>>()));
        services.AddSingleton<IHostedService>(sp => new SecurityStateEvaluator(
            sp.GetRequiredService<Staking.Escalation.NetworkSecurityMonitor>(), TimeSpan.FromSeconds(options.PulsePeriodSeconds), time,
            sp.GetRequiredService<ILogger<SecurityStateEvaluator>>()));

        // Last, so callers (tests, embedders) can replace any registration above.
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseApplianceHttpMetrics();
        app.UseRateLimiter();
        app.Lifetime.ApplicationStopped.Register(app.Services.GetRequiredService<RateLimitMetrics>().Dispose);
        app.MapPrometheusMetrics(
            basicAuth: MetricsAccess.BasicAuth(options.Metrics),
            authorize: MetricsAccess.Bearer(options.Metrics, app.Services.GetRequiredService<BearerTokens>()));
        app.MapHealthEndpoints();
        app.MapEntropyEndpoints();
        app.MapPulseEndpoints();
        app.MapLogEndpoints();
        app.MapAttestedEntropyEndpoints();
        app.MapStakingEndpoints();
        app.MapMiningEndpoints();
        app.MapPoolEndpoints();
        app.MapDashboard();
        app.Lifetime.ApplicationStopped.Register(() => journal.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopped.Register(() => ledger.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopped.Register(() => securityProofs.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopped.Register(() => validators.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<StakingMetrics>().Dispose());
        app.Lifetime.ApplicationStopped.Register(securityAudit.Dispose);
        foreach (var tpm in definitions.Select(d => d.Tpm).OfType<Devices.Tpm.TpmConnection>())
        {
            app.Lifetime.ApplicationStopped.Register(() => tpm.DisposeAsync().AsTask().GetAwaiter().GetResult());
        }

        return app;
    }
}
