namespace QrngAppliance.Pipeline;

/// <summary>One evaluation of <see cref="SourceRateMonitor"/>.</summary>
/// <param name="Degraded">Whether the source is degraded after this evaluation.</param>
/// <param name="Changed">Whether this evaluation set or cleared the flag (log it once).</param>
/// <param name="BytesPerSecond">The rate over the last full window; null until a full window has been seen.</param>
public readonly record struct RateCheck(bool Degraded, bool Changed, double? BytesPerSecond);
