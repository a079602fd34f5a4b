namespace QrngAppliance.Entropy.Health;

/// <summary>
/// SP 800-90B §4.4.2 Adaptive Proportion Test: in each non-overlapping window of W samples, counts how often
/// the window's first sample A occurs (A included) and fails when the count B reaches <see cref="Cutoff"/>.
/// </summary>
public sealed class AdaptiveProportionTest
{
    private int _position;
    private byte _first;
    private int _count;

    public AdaptiveProportionTest(int window, int cutoff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 2);
        Window = window;
        Cutoff = cutoff;
    }

    public int Window { get; }

    public int Cutoff { get; }

    /// <summary>True when the sample just added closed a window.</summary>
    public bool WindowComplete => _position == 0;

    /// <summary>Feeds one sample; true when B reaches the cutoff (at most once per window).</summary>
    public bool Add(byte sample)
    {
        var alarm = false;
        if (_position == 0)
        {
            _first = sample;
            _count = 1;
        }
        else if (sample == _first)
        {
            _count++;
            alarm = _count == Cutoff;
        }

        _position = (_position + 1) % Window;
        return alarm;
    }

    /// <summary>
    /// Feeds samples up to and including the first alarm; returns its offset, or −1 when all were fed without one.
    /// Same result as <see cref="Add"/> per sample; counts A in each window's remainder with a vectorised count.
    /// </summary>
    public int Scan(ReadOnlySpan<byte> samples)
    {
        var i = 0;
        while (i < samples.Length)
        {
            if (_position == 0)
            {
                _first = samples[i++];
                _count = 1;
                _position = 1;
                continue;
            }

            var part = samples.Slice(i, Math.Min(samples.Length - i, Window - _position));
            var hits = part.Count(_first);
            // No alarm in this part unless the count crosses the cutoff here (an alarm fires once per window).
            if (_count >= Cutoff || _count + hits < Cutoff)
            {
                _count += hits;
                _position = (_position + part.Length) % Window;
                i += part.Length;
                continue;
            }

            for (var j = 0; ; j++)
            {
                if (part[j] == _first && ++_count == Cutoff)
                {
                    _position = (_position + j + 1) % Window;
                    return i + j;
                }
            }
        }

        return -1;
    }

    public void Reset()
    {
        _position = 0;
        _count = 0;
    }
}
