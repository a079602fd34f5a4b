namespace QrngAppliance.Entropy.Health;

/// <summary>
/// SP 800-90B §4.4.1 Repetition Count Test: fails when one value repeats <see cref="Cutoff"/> times in a row.
/// Continuous across windows; one alarm per run, at the sample where the run reaches C.
/// </summary>
public sealed class RepetitionCountTest(int cutoff)
{
    private int _last = -1;
    private int _run;

    public int Cutoff { get; } = cutoff >= 2 ? cutoff : throw new ArgumentOutOfRangeException(nameof(cutoff));

    /// <summary>Feeds one sample; true when this sample makes the current run reach the cutoff.</summary>
    public bool Add(byte sample)
    {
        if (sample == _last)
        {
            _run++;
        }
        else
        {
            _last = sample;
            _run = 1;
        }

        return _run == Cutoff;
    }

    /// <summary>
    /// Feeds samples up to and including the first that makes a run reach the cutoff; returns its offset, or −1 when
    /// all were fed without an alarm. Same result as <see cref="Add"/> per sample, without a call per sample.
    /// </summary>
    public int Scan(ReadOnlySpan<byte> samples)
    {
        int last = _last, run = _run, cutoff = Cutoff;
        for (var i = 0; i < samples.Length; i++)
        {
            int sample = samples[i];
            run = sample == last ? run + 1 : 1;
            last = sample;
            if (run == cutoff)
            {
                (_last, _run) = (last, run);
                return i;
            }
        }

        (_last, _run) = (last, run);
        return -1;
    }

    public void Reset()
    {
        _last = -1;
        _run = 0;
    }
}
