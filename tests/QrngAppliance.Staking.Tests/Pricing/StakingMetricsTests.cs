using System.Diagnostics.Metrics;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Pricing;

namespace QrngAppliance.Staking.Tests.Pricing;

public sealed class StakingMetricsTests
{
    private sealed class Pool : IEntropyPoolDepth
    {
        public long AvailableBits => 1_000;
    }

    [Fact]
    public void Price_state_and_proof_instruments_report_their_values()
    {
        var clock = new ManualClock();
        var demand = new EntropyDemandTracker(TimeSpan.FromMinutes(1), clock);
        var monitor = new NetworkSecurityMonitor(EscalationOptions.Default, clock, new InMemorySecurityStateAuditLog());
        using var metrics = new StakingMetrics(new EntropyPriceSignal(new Pool(), demand), monitor);
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test creates a StakingMetrics, so the meter name identifies it.
            if (instrument.Meter.Name == StakingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => seen[i.Name] = seen.GetValueOrDefault(i.Name) + v);
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => seen[i.Name] = v);
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => seen[i.Name] = seen.GetValueOrDefault(i.Name) + v);
        listener.Start();

        demand.Record(1_000);
        monitor.RecordAttackSignal(new AttackSignal("ids", ThreatLevel.Medium, "test"));
        metrics.ProofIssued(3322);
        metrics.ProofIssued(100);
        listener.RecordObservableInstruments();

        Assert.Equal(4.0, seen["qrng_entropy_price_ratio"]);
        Assert.Equal((int)NetworkSecurityState.Critical, seen["qrng_security_state"]);
        Assert.Equal(2, seen["qrng_security_proofs_total"]);
        Assert.Equal(416 + 13, seen["qrng_security_entropy_consumed_bytes_total"]); // whole bytes: 3,322 and 100 bits rounded up
    }
}
