using System.Diagnostics.Metrics;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Pricing;

namespace QrngAppliance.Staking;

/// <summary>Every staking instrument, declared in one place (STYLE.md habit 9).</summary>
public sealed class StakingMetrics : IDisposable
{
    /// <summary>The meter name the service's exporter subscribes to.</summary>
    public const string MeterName = "QrngAppliance.Staking";

    private readonly Meter _meter;
    private readonly Counter<long> _proofs;
    private readonly Counter<long> _bytes;

    /// <param name="scope">
    /// The meter's <see cref="Meter.Scope"/>: an exporter serving several appliances in one process tells their
    /// meters apart by it.
    /// </param>
    public StakingMetrics(EntropyPriceSignal price, NetworkSecurityMonitor monitor, object? scope = null)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentNullException.ThrowIfNull(monitor);
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        _meter.CreateObservableGauge("qrng_entropy_price_ratio", () => (double)price.Current().Index, unit: "1",
            description: "Entropy price index: ((available + recent demand) / available)^2, capped; 1 = idle full pool.");
        // Units in braces are annotations the Prometheus exporter drops, so a state code does not become "_ratio".
        _meter.CreateObservableGauge("qrng_security_state", () => (int)monitor.State, unit: "{state}",
            description: "Network security state in force: 0 Peaceful, 1 Elevated, 2 Critical, 3 UnderAttack.");
        _proofs = _meter.CreateCounter<long>("qrng_security_proofs_total", unit: "{proof}",
            description: "Security proofs issued (replays not counted).");
        // Bytes, not bits: Prometheus base units only (promtool: use base unit "bytes" instead of "bits"; OPERATIONS.md).
        _bytes = _meter.CreateCounter<long>("qrng_security_entropy_consumed_bytes_total", unit: "By",
            description: "Entropy consumed for security proofs, in bytes (each proof's entropy_consumed bits, rounded up to whole bytes).");
        // Zero now, so a scrape shows both counters from the start (rate() and absent() need the series).
        _proofs.Add(0);
        _bytes.Add(0);
    }

    internal void ProofIssued(long bits)
    {
        _proofs.Add(1);
        _bytes.Add((bits + 7) / 8);
    }

    public void Dispose() => _meter.Dispose();
}
