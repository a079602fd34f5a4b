using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using QrngAppliance.HwSim.Faults;
using QrngAppliance.Simulation;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng sim fault|clear|list</c>: faults on demand in a running <c>qrng run --sim</c> (issue 12.4), through its
/// <c>/v1/sim/faults</c> routes with an <c>admin</c> token. The fault text is checked here first, with the parser the
/// appliance uses, so a typo is a usage error before anything is sent.
/// </summary>
public sealed class SimCommand : ICliCommand
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public string Name => "sim";

    public string Summary => "inject faults into a running 'qrng run --sim' (stuck, bias, disconnect, tpm-error, …) and clear them";

    public string Usage => """
        usage: qrng sim fault SOURCE KIND[:ARG] [--for SECONDS] [--url URL] [--token-file FILE]
               qrng sim clear SOURCE [--url URL] [--token-file FILE]
               qrng sim list [--url URL]

          SOURCE             a simulated source id (truerng0, truerngpro0, onerng0, quantis0, chaoskey0, tpm0, hwrng0,
                             adc0, adc1; 'qrng sim list' shows them and the kinds each takes)
          KIND[:ARG]         stuck[:BYTE]          every sample the same (default 0xa5)
                             bias[:P]              each bit 1 with probability P in [0, 1] (default 0.75)
                             correlation[:P]       each sample repeats the previous with probability P (default 0.5)
                             slow[:FACTOR]         the device rate divided by FACTOR ≥ 2 (default 10)
                             garbage[:BURST]       a 0x00/0xFF burst of 1..4096 bytes every 4 KiB (default 64)
                             disconnect            unplugged until cleared
                             reconnect             unplugged and plugged straight back in
                             tpm-error[:RC]        (tpm0 only) every command answered with RC (default 0x101, TPM_RC_FAILURE)
          --for SECONDS      clear by itself after this long (above 0, at most 86400)
          --url URL          the appliance (default http://127.0.0.1:8080)
          --token-file FILE  a token with admin (else the QRNG_TOKEN environment variable; never an argument)

        A new fault on a source replaces the one in force. Prints the source's fault afterwards.
        Exit codes: 0 done, 1 the appliance could not be reached or refused the token, 2 bad usage, an unknown source
        or a kind the source cannot take.
        """;

    public IReadOnlyList<string> Flags { get; } = [];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--for", "--url", "--token-file"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count == 0)
        {
            throw new UsageException("missing subcommand (fault, clear or list)");
        }

        var url = ApplianceHttp.BaseUrl(args.Value("--url") ?? "http://127.0.0.1:8080", "--url");
        var verb = args.Positionals[0];
        switch (verb)
        {
            case "fault":
                args.ExpectPositionals(3, "sim fault SOURCE KIND[:ARG]");
                return await SendAsync(HttpMethod.Post, url, SourceId(args.Positionals[1]), FaultBody(args.Positionals[2], Duration(args)), args, context, cancellationToken);
            case "clear":
                args.ExpectPositionals(2, "sim clear SOURCE");
                return await SendAsync(HttpMethod.Delete, url, SourceId(args.Positionals[1]), null, args, context, cancellationToken);
            case "list":
                args.ExpectPositionals(1, "sim list");
                return await ListAsync(url, context, cancellationToken);
            default:
                throw new UsageException($"unknown subcommand '{verb}' (expected fault, clear or list)");
        }
    }

    private static string SourceId(string text) =>
        text.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? text
            : throw new UsageException($"SOURCE must be a source id such as truerng0, got '{text}'");

    private static double? Duration(CommandArgs args)
    {
        if (args.Value("--for") is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            && seconds > 0 && seconds <= SimulatorFaults.MaxDuration.TotalSeconds
            ? seconds
            : throw new UsageException($"--for must be a number of seconds above 0 and at most {SimulatorFaults.MaxDuration.TotalSeconds:0}, got '{text}'");
    }

    private static string FaultBody(string text, double? seconds)
    {
        InjectedFault fault;
        try
        {
            fault = InjectedFault.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        if (fault.Kind == InjectedFaultKind.None)
        {
            throw new UsageException("'none' is not a fault; use 'qrng sim clear SOURCE'");
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("fault", fault.ToString());
            if (seconds is { } s)
            {
                json.WriteNumber("seconds", s);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task<int> SendAsync(HttpMethod method, Uri url, string source, string? body, CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var token = await ClientToken.ReadAsync(args.Value("--token-file"), "admin", cancellationToken);
        using var http = new HttpClient { Timeout = s_timeout };
        using var request = new HttpRequestMessage(method, new Uri(url, "v1/sim/faults/" + Uri.EscapeDataString(source)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return await ReportAsync(response.StatusCode, text, url, context);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"qrng sim: cannot reach {url}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> ListAsync(Uri url, CliContext context, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = s_timeout };
        try
        {
            var (status, _, text) = await ApplianceHttp.GetAsync(http, new Uri(url, "v1/sim/faults"), cancellationToken);
            if (status != HttpStatusCode.OK)
            {
                return await ReportAsync(status, text, url, context);
            }

            using var document = JsonDocument.Parse(text);
            foreach (var source in document.RootElement.EnumerateArray())
            {
                await context.Out.WriteLineAsync(Line(source));
            }

            return ExitCodes.Success;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"qrng sim: cannot read the faults of {url}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// 2xx: the source's fault on stdout. 400 and 404 with an error body (bad fault, unknown source) are the caller's
    /// input: exit 2. A 404 without one means the route is not there: the appliance is not running with --sim.
    /// Anything else (401, 403, 429, 5xx) is exit 1 with the appliance's reason.
    /// </summary>
    private static async Task<int> ReportAsync(HttpStatusCode status, string text, Uri url, CliContext context)
    {
        if ((int)status is >= 200 and < 300)
        {
            using var document = JsonDocument.Parse(text);
            await context.Out.WriteLineAsync(Line(document.RootElement));
            return ExitCodes.Success;
        }

        if (status == HttpStatusCode.NotFound && !HasError(text))
        {
            await context.Error.WriteLineAsync($"qrng sim: {url} has no simulator routes; is it running with 'qrng run --sim'?");
            return ExitCodes.Failure;
        }

        await context.Error.WriteLineAsync($"qrng sim: {ApplianceHttp.ErrorOf(text)} ({(int)status})");
        return status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound ? ExitCodes.Usage : ExitCodes.Failure;
    }

    private static bool HasError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary><c>truerng0  stuck:0xa5  until 2026-12-08T01:00:00Z  (takes stuck, bias, …)</c>.</summary>
    private static string Line(JsonElement source)
    {
        var until = source.TryGetProperty("until", out var u) && u.ValueKind == JsonValueKind.String ? $"  until {u.GetString()}" : "";
        var accepts = string.Join(", ", source.GetProperty("accepts").EnumerateArray().Select(a => a.GetString()));
        return $"{source.GetProperty("source").GetString()}  {source.GetProperty("fault").GetString()}{until}  (takes {accepts})";
    }
}
