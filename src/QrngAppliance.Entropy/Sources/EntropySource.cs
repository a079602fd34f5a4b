namespace QrngAppliance.Entropy.Sources;

/// <summary>
/// A physical noise source seen as a stream of raw samples, one sample per byte with the symbol in the
/// low <see cref="SampleBits"/> bits (the format SP 800-90B tools use). Health testing, conditioning and
/// crediting happen downstream; a source only reads.
/// </summary>
public abstract class EntropySource : IAsyncDisposable
{
    /// <summary>Who the source is: stable id, model, transport, serial and firmware when known.</summary>
    public abstract SourceIdentity Identity { get; }

    /// <summary>Bits per sample, 1..8.</summary>
    public abstract int SampleBits { get; }

    /// <summary>The claimed min-entropy per sample, H, in bits (from the firmware profile); 0 &lt; H ≤ SampleBits.</summary>
    public abstract double ClaimedMinEntropyPerSample { get; }

    /// <summary>
    /// Reads up to <paramref name="buffer"/>.Length raw samples and returns how many were read (at least 1).
    /// Throws <see cref="SourceDisconnectedException"/> when the device went away; the caller may reopen it.
    /// </summary>
    public abstract ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Checks the sample-width and H claims every source must satisfy.</summary>
    protected static void ValidateClaims(int sampleBits, double minEntropyPerSample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleBits, 8);
        if (!(minEntropyPerSample > 0 && minEntropyPerSample <= sampleBits))
        {
            throw new ArgumentOutOfRangeException(nameof(minEntropyPerSample), minEntropyPerSample,
                $"claimed min-entropy must be in (0, {sampleBits}] bits per sample");
        }
    }
}
