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
/// Samples are hashed as they arrive (one byte each), so the credited input entropy is samples × H. A window may be
/// credited less than the claimed H (the online estimate was lower): a block then takes more samples, as many as
/// its input needs to carry <see cref="InputEntropyPerBlock"/> bits at the credits it was given.
/// </remarks>
public sealed class Sha256Conditioner
{
    public const int OutputBits = 256;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly int _samplesPerBlock;
    private readonly double _creditedPerBlock;
    private readonly double _claimed;
    private int _pending;
    private double _pendingEntropy;
    private double? _pendingUniformCredit; // the one credit of every pending sample, while there is one

    public Sha256Conditioner(string sourceId, int sampleBits, double minEntropyPerSample, int inputEntropyPerBlock = 2 * OutputBits)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputEntropyPerBlock, 1);
        if (!(minEntropyPerSample > 0 && minEntropyPerSample <= sampleBits))
        {
            throw new ArgumentOutOfRangeException(nameof(minEntropyPerSample));
        }

        SourceId = sourceId;
        _claimed = minEntropyPerSample;
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

    /// <summary>Absorbs a released window's samples at the claimed H and returns every block completed by them.</summary>
    public IReadOnlyList<ConditionedBlock> Absorb(ReadOnlySpan<byte> samples, ulong windowId) => Absorb(samples, windowId, _claimed);

    /// <summary>
    /// Absorbs samples credited <paramref name="creditPerSample"/> bits each (at most the claimed H) and returns every
    /// block completed by them.
    /// </summary>
    public IReadOnlyList<ConditionedBlock> Absorb(ReadOnlySpan<byte> samples, ulong windowId, double creditPerSample)
    {
        if (!(creditPerSample > 0 && creditPerSample <= _claimed))
        {
            throw new ArgumentOutOfRangeException(nameof(creditPerSample), creditPerSample, $"credit must be in (0, {_claimed}] bits per sample");
        }

        var blocks = new List<ConditionedBlock>();
        while (!samples.IsEmpty)
        {
            // At one credit throughout, the block is exactly ceil(InputEntropyPerBlock / credit) samples (the claim's
            // count when credit = H); after a change of credit, as many as the remaining entropy needs.
            var uniform = _pending == 0 || _pendingUniformCredit == creditPerSample;
            var needed = uniform
                ? SamplesFor(InputEntropyPerBlock, creditPerSample) - _pending
                : SamplesFor(InputEntropyPerBlock - _pendingEntropy, creditPerSample);
            var take = Math.Min(samples.Length, needed);
            _hash.AppendData(samples[..take]);
            _pending += take;
            _pendingEntropy += take * creditPerSample;
            _pendingUniformCredit = uniform ? creditPerSample : null;
            samples = samples[take..];
            if (take == needed)
            {
                var credited = _pendingUniformCredit == _claimed
                    ? _creditedPerBlock
                    : VettedConditioning.OutputEntropy(_pending * 8, OutputBits, OutputBits,
                        _pendingUniformCredit is { } c ? _pending * c : _pendingEntropy);
                blocks.Add(new ConditionedBlock(_hash.GetHashAndReset(), SourceId, windowId, credited));
                ResetPending();
            }
        }

        return blocks;
    }

    private static int SamplesFor(double entropy, double creditPerSample) => Math.Max(1, (int)Math.Ceiling(entropy / creditPerSample));

    private void ResetPending()
    {
        _pending = 0;
        _pendingEntropy = 0;
        _pendingUniformCredit = null;
    }

    /// <summary>Drops a partly absorbed block, e.g. when the source is quarantined or disconnects.</summary>
    public void DiscardPending()
    {
        _hash.GetHashAndReset();
        ResetPending();
    }
}
