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
    private readonly Counter<long> _bits;

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
        // Units in braces are annotations the Prometheus exporter drops: a state code is not a "_ratio", and the
        // bits counter must not become "_bits_bit_total".
        _meter.CreateObservableGauge("qrng_security_state", () => (int)monitor.State, unit: "{state}",
            description: "Network security state in force: 0 Peaceful, 1 Elevated, 2 Critical, 3 UnderAttack.");
        _proofs = _meter.CreateCounter<long>("qrng_security_proofs_total", unit: "{proof}",
            description: "Security proofs issued (replays not counted).");
        _bits = _meter.CreateCounter<long>("qrng_security_entropy_consumed_bits_total", unit: "{bit}",
            description: "Entropy bits consumed for security proofs.");
    }

    internal void ProofIssued(long bits)
    {
        _proofs.Add(1);
        _bits.Add(bits);
    }

    public void Dispose() => _meter.Dispose();
}
