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

    public void Reset()
    {
        _last = -1;
        _run = 0;
    }
}
