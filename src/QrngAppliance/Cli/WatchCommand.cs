using System.Globalization;
using QrngAppliance.Watch;

namespace QrngAppliance.Cli;

/// <summary><c>qrng watch URL --chain-info FILE</c>: follows a live appliance as a monitor (see <see cref="PulseWatcher"/>).</summary>
public sealed class WatchCommand : ICliCommand
{
    public string Name => "watch";

    public string Summary => "follow a live appliance: verify every new pulse and tree root, report forks, gaps and stalls";

    public string Usage =>
        """
        usage: qrng watch URL --chain-info FILE [--interval SECONDS] [--stall-after SECONDS] [--from SEQ]
                          [--max-pulses N] [--for SECONDS] [--json]

          URL                 the appliance, e.g. http://127.0.0.1:8080
          --chain-info FILE   the JSON GET /v1/chain-info serves, pinned: every pulse must be signed under it
          --interval SECONDS  time between polls of GET /v1/pulses/latest (default 1)
          --stall-after SECONDS  report a stall when no new pulse is verified for this long (default 5), whether
                              the appliance answers or not: an outage shorter than this is survived silently
          --from SEQ          verify from this seq on (default: the latest pulse)
          --max-pulses N      end after N pulses verified (exit 0 if nothing was wrong)
          --for SECONDS       end after this long (exit 0 if nothing was wrong)
          --json              one JSON object a line: event, seq, detail

        Every pulse from the start point on is fetched (GET /v1/pulses?from=&to=) and verified: signatures (one per
        chain-info key, in order), JSON view against signed_bytes, chain info hash, seq and prev-hash link to the pulse
        before it; every new tree root must extend the last verified one (GET /v1/log/consistency, RFC 9162).
        One line per event: OK (a verified pulse), FORK (two signed pulses with one seq, a broken link, an
        inconsistent root), INVALID (a pulse that fails verification), GAP (seqs or a proof the appliance cannot
        serve), STALL, UNREACHABLE / REACHABLE (the appliance went away / came back), then DONE with the summary.
        A FORK or INVALID ends the watch at once; GAP and STALL are reported and watching goes on.
        Exit 0 when the watch ended (--max-pulses, --for, Ctrl-C) with nothing wrong, 1 after any FORK, INVALID, GAP
        or STALL, 2 on bad arguments or an unreadable chain info.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--json"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--chain-info", "--interval", "--stall-after", "--from", "--max-pulses", "--for"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(1, "the appliance URL");
        var baseUrl = ApplianceHttp.BaseUrl(args.Positionals[0], "URL");
        var chainInfoFile = args.Required("--chain-info");
        var interval = Seconds(args, "--interval", 1);
        var settings = new WatchSettings(
            baseUrl,
            ChainVerifyRunner.ReadChainInfo(await ChainVerifyRunner.ReadFileAsync(chainInfoFile, "--chain-info", cancellationToken), chainInfoFile),
            interval,
            Seconds(args, "--stall-after", 5),
            args.Value("--from") is null ? null : (ulong)args.Int64("--from", 0, 0, long.MaxValue),
            args.Value("--max-pulses") is null ? null : args.Int64("--max-pulses", 0, 1, long.MaxValue),
            args.Value("--for") is null ? null : Seconds(args, "--for", 0));

        var json = args.Flag("--json");
        // A request may take as long as the stall budget: an appliance slower than that is stalled anyway.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Clamp(settings.StallAfter.TotalSeconds, 1, 30)) };
        var watcher = new PulseWatcher(settings, http, TimeProvider.System, async e =>
        {
            await context.Out.WriteLineAsync(e.Format(json));
            await context.Out.FlushAsync(CancellationToken.None); // the last line is written after Ctrl-C too
        });
        return await watcher.RunAsync(cancellationToken);
    }

    /// <summary>A positive number of seconds (decimals allowed), at most a day.</summary>
    private static TimeSpan Seconds(CommandArgs args, string name, double fallback)
    {
        var text = args.Value(name);
        if (text is null)
        {
            return TimeSpan.FromSeconds(fallback);
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 86_400
            ? TimeSpan.FromSeconds(value)
            : throw new UsageException($"{name} must be a number of seconds above 0 and at most 86400, got '{text}'");
    }
}
