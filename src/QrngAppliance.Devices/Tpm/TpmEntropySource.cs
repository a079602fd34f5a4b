using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// The TPM's RNG as an entropy source: bytes from <c>TPM2_GetRandom</c>, one 8-bit sample per byte.
/// TPM output is DRBG output (conditioned), so the claimed H comes from the firmware profile, not from us.
/// </summary>
public sealed class TpmEntropySource : EntropySource
{
    /// <summary>Upper bound on bytes fetched per read, so a huge buffer does not hold the TPM for seconds.</summary>
    private const int MaxBytesPerRead = 4096;

    private readonly TpmClient _client;
    private readonly bool _leaveOpen;

    /// <param name="client">The TPM; owned by this source unless <paramref name="leaveOpen"/>.</param>
    /// <param name="identity">Source identity (transport <c>tpm</c>).</param>
    /// <param name="claimedMinEntropyPerSample">H per byte, from the firmware profile; 0 &lt; H ≤ 8.</param>
    public TpmEntropySource(TpmClient client, SourceIdentity identity, double claimedMinEntropyPerSample, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(identity);
        ValidateClaims(8, claimedMinEntropyPerSample);
        _client = client;
        _leaveOpen = leaveOpen;
        Identity = identity;
        ClaimedMinEntropyPerSample = claimedMinEntropyPerSample;
    }

    /// <summary>Convenience: a TPM simulator's raw command port (swtpm), owned by the returned source.</summary>
    public static async Task<TpmEntropySource> ConnectAsync(string host, int port, SourceIdentity identity,
        double claimedMinEntropyPerSample, CancellationToken cancellationToken)
    {
        var transport = await TcpTpmTransport.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        return new TpmEntropySource(new TpmClient(transport), identity, claimedMinEntropyPerSample);
    }

    /// <summary>Convenience: the kernel TPM device (default <c>/dev/tpmrm0</c>), owned by the returned source.</summary>
    public static TpmEntropySource Open(SourceIdentity identity, double claimedMinEntropyPerSample,
        string path = DeviceTpmTransport.DefaultPath) =>
        new(new TpmClient(DeviceTpmTransport.Open(path)), identity, claimedMinEntropyPerSample);

    public override SourceIdentity Identity { get; }

    public override int SampleBits => 8;

    public override double ClaimedMinEntropyPerSample { get; }

    /// <summary>Fills the buffer (up to 4096 bytes per call); a TPM that went away is a <see cref="SourceDisconnectedException"/>.</summary>
    public override async ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("the buffer must hold at least one sample", nameof(buffer));
        }

        var slice = buffer[..Math.Min(buffer.Length, MaxBytesPerRead)];
        await _client.GetRandomAsync(slice, cancellationToken).ConfigureAwait(false);
        return slice.Length;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
