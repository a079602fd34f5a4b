using System.Text.Json;
using QrngAppliance.Api;

namespace QrngAppliance.Watch;

/// <summary>One line of <c>qrng watch</c> output.</summary>
/// <param name="Kind">One of the <c>WatchEvent.*</c> kind names.</param>
/// <param name="Seq">The pulse the event is about, when there is one.</param>
public sealed record WatchEvent(string Kind, ulong? Seq, string Detail)
{
    public const string Ok = "ok";

    /// <summary>Two signed versions of one seq, a broken prev-hash link, or a root that does not extend the last one.</summary>
    public const string Fork = "fork";

    /// <summary>A pulse that fails verification against the pinned chain info (signatures, view, chain info hash…).</summary>
    public const string Invalid = "invalid";

    /// <summary>Seqs (or a consistency proof) the appliance cannot serve.</summary>
    public const string Gap = "gap";

    public const string Stall = "stall";

    public const string Unreachable = "unreachable";

    public const string Reachable = "reachable";

    /// <summary>The last line: what was watched, and whether all of it was good.</summary>
    public const string Done = "done";

    /// <summary>Whether the event makes the watch exit 1.</summary>
    public bool IsProblem => Kind is Fork or Invalid or Gap or Stall;

    /// <summary><c>KIND [seq N: ]detail</c>, or one JSON object with event, seq and detail.</summary>
    public string Format(bool json) =>
        json
            ? JsonSerializer.Serialize(new { @event = Kind, seq = Seq, detail = Detail }, ApiJson.Options)
            : $"{Kind.ToUpperInvariant()} {(Seq is { } seq ? $"seq {seq}: " : "")}{Detail}";
}
