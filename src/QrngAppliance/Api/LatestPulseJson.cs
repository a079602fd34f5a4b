using System.Text.Json;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Api;

/// <summary>
/// The latest pulse's JSON body, serialized once per pulse rather than once per request: a pulse carries two
/// signatures (the ML-DSA-65 one is 3,309 bytes), and <c>GET /v1/pulses/latest</c> is polled far more often than a
/// pulse is made (issue 13's benchmark). The bytes are what <c>Results.Json</c> with <see cref="ApiJson.Options"/> writes.
/// </summary>
public sealed class LatestPulseJson
{
    private Entry? _cached;

    public byte[] For(Pulse pulse)
    {
        if (Volatile.Read(ref _cached) is { } cached && ReferenceEquals(cached.Pulse, pulse))
        {
            return cached.Body;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(PulseView.From(pulse), ApiJson.Options);
        Volatile.Write(ref _cached, new Entry(pulse, body));
        return body;
    }

    private sealed record Entry(Pulse Pulse, byte[] Body);
}
