using System.Security.Cryptography;

namespace QrngAppliance.Entropy.Conditioning;

/// <summary>
/// SP 800-90B vetted conditioning with SHA-256 (§3.1.5.1.1): raw samples from released health windows are
/// hashed in groups large enough that the input carries <see cref="InputEntropyPerBlock"/> bits, and each
/// 32-byte output is credited per §3.1.5.1.2.
/// </summary>
/// <remarks>
/// Collecting twice the output length of input entropy (512 bits by default) makes the credited output
/// entropy 256 bits to within 2^-200 or so, the usual "full entropy" design margin (SP 800-90C §4.4).
/// Samples are hashed as they arrive (one byte each), so the credited input entropy is samples × H.
/// </remarks>
public sealed class Sha256Conditioner
{
    public const int OutputBits = 256;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly int _samplesPerBlock;
    private readonly double _creditedPerBlock;
    private int _pending;

    public Sha256Conditioner(string sourceId, int sampleBits, double minEntropyPerSample, int inputEntropyPerBlock = 2 * OutputBits)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputEntropyPerBlock, 1);
        if (!(minEntropyPerSample > 0 && minEntropyPerSample <= sampleBits))
        {
            throw new ArgumentOutOfRangeException(nameof(minEntropyPerSample));
        }

        SourceId = sourceId;
        InputEntropyPerBlock = inputEntropyPerBlock;
        _samplesPerBlock = (int)Math.Ceiling(inputEntropyPerBlock / minEntropyPerSample);
        // Each sample is one byte on the wire into the hash: n_in = 8 bits per sample.
        _creditedPerBlock = VettedConditioning.OutputEntropy(
            _samplesPerBlock * 8, OutputBits, OutputBits, _samplesPerBlock * minEntropyPerSample);
    }

    public string SourceId { get; }

    public int InputEntropyPerBlock { get; }

    public int SamplesPerBlock => _samplesPerBlock;

    public double CreditedBitsPerBlock => _creditedPerBlock;

    /// <summary>Absorbs a released window's samples and returns every block completed by them.</summary>
    public IReadOnlyList<ConditionedBlock> Absorb(ReadOnlySpan<byte> samples, ulong windowId)
    {
        var blocks = new List<ConditionedBlock>();
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _samplesPerBlock - _pending);
            _hash.AppendData(samples[..take]);
            _pending += take;
            samples = samples[take..];
            if (_pending == _samplesPerBlock)
            {
                blocks.Add(new ConditionedBlock(_hash.GetHashAndReset(), SourceId, windowId, _creditedPerBlock));
                _pending = 0;
            }
        }

        return blocks;
    }

    /// <summary>Drops a partly absorbed block, e.g. when the source is quarantined or disconnects.</summary>
    public void DiscardPending()
    {
        _hash.GetHashAndReset();
        _pending = 0;
    }
}
