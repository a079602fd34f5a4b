namespace QrngAppliance.Entropy.Tests.Drbg;

/// <summary>A clock that moves only when told (Microsoft.Extensions.TimeProvider.Testing is not on the mirror).</summary>
internal sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
