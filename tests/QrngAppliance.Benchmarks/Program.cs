using BenchmarkDotNet.Running;

// Run all or some benchmarks: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*Assess*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
