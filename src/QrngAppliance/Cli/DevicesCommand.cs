using System.Text;
using System.Text.Json;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng devices [--sim] [--json]</c>: configured and discovered sources and why any device was skipped. Fast by
/// construction: it reads sysfs and checks device nodes exist, and never opens or reads a device.
/// </summary>
public sealed class DevicesCommand : ICliCommand
{
    public string Name => "devices";

    public string Summary => "list sources (configured and discovered): id, model, transport, profile, path, state; and skipped devices";

    public string Usage => """
        usage: qrng devices [--sim] [--sim-devices LIST] [--json] [--config FILE] [--data DIR]
          --sim          include the simulated devices 'qrng run --sim' uses (every hwsim model; swtpm when installed)
          --sim-devices L  with --sim, only these models (comma-separated: truerng, truerngpro, onerng, quantis,
                           chaoskey, tpm, hwrng, mcp3008, ads1115; default all)
          --json         {"sources":[{id,model,transport,profile,path,origin,state}],"skipped":[{device,reason}]}
          --config FILE  configuration as for 'qrng run' (Appliance:Sources, Appliance:Discovery, ...)
        state: present (device node exists), absent (it does not), network (tcp:// TPM simulator; not probed),
        simulated (hwsim: an in-process device of --sim: the ADC board, the USB sticks).
        Never opens a device; use 'qrng selftest' for that.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--sim", "--json"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--config", "--data", "--sim-devices"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "");
        await using var sources = await CliSources.OpenAsync(args, context, cancellationToken);
        var rows = sources.Configured.Select(d => Row(d, "configured", sources.Resolver))
            .Concat(sources.Discovered.Select(d => Row(d, "discovered", sources.Resolver)))
            .ToList();
        await context.Out.WriteAsync(args.Flag("--json") ? ToJson(rows, sources) : ToText(rows, sources));
        return ExitCodes.Success;
    }

    private static DeviceRow Row(SourceDefinition d, string origin, DeviceSourceResolver resolver)
    {
        var state = d.Path.StartsWith("tcp://", StringComparison.Ordinal) ? "network"
            : d.Path.StartsWith(DeviceSourceResolver.SimulatedAdcPrefix, StringComparison.Ordinal) ? "simulated"
            : File.Exists(d.Path) ? "present" : "absent";
        var profile = resolver.Profiles.FindByModel(d.Model)?.SourceFile ?? d.Model + ".json";
        return new DeviceRow(d.Id, d.Model, d.Transport, profile, d.Path, origin, state);
    }

    private static string ToText(List<DeviceRow> rows, CliSources sources)
    {
        var text = new StringBuilder();
        if (rows.Count == 0)
        {
            text.Append("no sources: none configured (Appliance:Sources) and none discovered\n");
        }
        else
        {
            string[] header = ["ID", "MODEL", "TRANSPORT", "PROFILE", "PATH", "ORIGIN", "STATE"];
            var cells = rows.Select(r => new[] { r.Id, r.Model, r.Transport, r.Profile, r.Path, r.Origin, r.State }).Prepend(header).ToList();
            var widths = Enumerable.Range(0, header.Length).Select(i => cells.Max(c => c[i].Length)).ToArray();
            foreach (var c in cells)
            {
                text.Append(string.Join("  ", c.Select((v, i) => i == c.Length - 1 ? v : v.PadRight(widths[i])))).Append('\n');
            }
        }

        foreach (var s in sources.Skipped)
        {
            text.Append($"skipped {s.SysfsName}: {s.Reason}\n");
        }

        return text.ToString();
    }

    private static string ToJson(List<DeviceRow> rows, CliSources sources)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("sources");
            foreach (var r in rows)
            {
                json.WriteStartObject();
                json.WriteString("id", r.Id);
                json.WriteString("model", r.Model);
                json.WriteString("transport", r.Transport);
                json.WriteString("profile", r.Profile);
                json.WriteString("path", r.Path);
                json.WriteString("origin", r.Origin);
                json.WriteString("state", r.State);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("skipped");
            foreach (var s in sources.Skipped)
            {
                json.WriteStartObject();
                json.WriteString("device", s.SysfsName);
                json.WriteString("reason", s.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private sealed record DeviceRow(string Id, string Model, string Transport, string Profile, string Path, string Origin, string State);
}
