using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Pipeline;

/// <summary>A configured source bound to its profile: everything a worker needs to (re)open it.</summary>
/// <param name="Open">Opens the device; throws IOException (or SourceDisconnectedException) while it is absent.</param>
public sealed record SourceDefinition(
    string Id,
    string Model,
    string Transport,
    string Path,
    int SampleBits,
    double MinEntropyPerSample,
    Func<CancellationToken, ValueTask<EntropySource>> Open)
{
    /// <summary>SHA-256 of the firmware-profile file the source was bound to; null when it was not read from a file.</summary>
    public byte[]? ProfileSha256 { get; init; }

    /// <summary>The profile's healthy throughput; null skips the rate check (no profile rate known).</summary>
    public ExpectedRate? ExpectedRate { get; init; }

    /// <summary>Quarantine below this online min-entropy estimate (the profile's floor); null runs RCT and APT only.</summary>
    public double? MinEntropyFloor { get; init; }

    /// <summary>
    /// A TPM source's connection, shared with the pulse quoter (one client per TPM: swtpm serves one at a time);
    /// null for every other transport. Its owner (the host) disposes it.
    /// </summary>
    public TpmConnection? Tpm { get; init; }
}
