namespace QrngAppliance.PoolMining;

/// <summary>Hashes per second over a sliding window of once-a-second samples of a running hash count.</summary>
internal sealed class HashrateMeter(TimeProvider time, Func<long> hashes) : IAsyncDisposable
{
    private const int Samples = 10;
    private readonly Queue<(long Timestamp, long Hashes)> _samples = new();
    private ITimer? _timer;

    public void Start() => _timer = time.CreateTimer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));

    public double PerSecond()
    {
        lock (_samples)
        {
            if (_samples.Count == 0)
            {
                return 0;
            }

            var (t0, h0) = _samples.Peek();
            var seconds = time.GetElapsedTime(t0).TotalSeconds;
            return seconds <= 0 ? 0 : (hashes() - h0) / seconds;
        }
    }

    public ValueTask DisposeAsync() => _timer?.DisposeAsync() ?? ValueTask.CompletedTask;

    private void Sample()
    {
        lock (_samples)
        {
            _samples.Enqueue((time.GetTimestamp(), hashes()));
            while (_samples.Count > Samples)
            {
                _samples.Dequeue();
            }
        }
    }
}
