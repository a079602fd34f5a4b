using BenchmarkDotNet.Running;
using QrngAppliance.Benchmarks.Devices;

// Run all or some benchmarks: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*Assess*'
// The hwsim driver probe (throughput + CPU, not BDN): dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- probe-devices
if (args is ["probe-devices"])
{
    await DeviceThroughputProbe.RunAsync(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
