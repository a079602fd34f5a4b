using BenchmarkDotNet.Running;
using QrngAppliance.Benchmarks.Devices;

// Run all or some benchmarks: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*Assess*'
// The hwsim driver probe (throughput + CPU, not BDN): dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- probe-devices
// Its serial drivers only (scripts/bench-serial-ports.sh): ... -- probe-serial
// The online estimator's false alarms and detection times (docs/operations.md): ... -- estimator false-alarms N | estimator detection
// A day of signed pulses for scripts/bench-verify-chain.sh: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- day-chain DIR [COUNT]
if (args is ["day-chain", var directory, .. var rest])
{
    await QrngAppliance.Benchmarks.Pulses.DayChainWriter.RunAsync(directory, rest is [var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 86_400, Console.Out);
    return;
}

if (args is ["probe-serial"])
{
    await DeviceThroughputProbe.RunSerialAsync(Console.Out);
    return;
}

if (args is ["estimator", "false-alarms", var count])
{
    QrngAppliance.Benchmarks.Health.EstimatorDrill.FalseAlarms(long.Parse(count, System.Globalization.CultureInfo.InvariantCulture), Console.Out);
    return;
}

if (args is ["estimator", "detection"])
{
    QrngAppliance.Benchmarks.Health.EstimatorDrill.Detection(Console.Out);
    return;
}

if (args is ["probe-devices"])
{
    await DeviceThroughputProbe.RunAsync(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
