using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using QrngAppliance.Mining.Kernels;
using QrngAppliance.Mining.Search;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng bench</c>: hashes per second per kernel and thread count. Besides wall-clock H/s it reports hashes per
/// CPU-second of the worker threads, which stays meaningful on a machine shared with other work.
/// </summary>
public sealed class BenchCommand : ICliCommand
{
    public string Name => "bench";

    public string Summary => "measure nonce-search hashes per second per kernel and thread count";

    public string Usage => """
        usage: qrng bench [--algo sha256d|sha3d] [--kernel auto|scalar|avx2|avx512|shani] [--threads N] [--seconds S] [--json]

        Searches nonces of a fixed header for S seconds (default 3) per measurement. With --kernel auto every kernel
        that runs on this CPU is measured; each at 1 thread and at N threads (default: the CPU count).
        Reported per row: hashes, wall seconds, H/s, worker CPU seconds, hashes per CPU-second (per core).
        """;

    public IReadOnlyList<string> Flags => ["--json"];

    public IReadOnlyList<string> ValuedOptions => ["--algo", "--kernel", "--threads", "--seconds"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "nothing");
        var algorithm = MiningArgs.Algorithm(args);
        var requested = MiningArgs.Kernel(args);
        var threads = MiningArgs.Threads(args, context, "bench");
        var seconds = args.Int32("--seconds", 3, 1, 3600);
        var json = args.Flag("--json");
        var progress = context.OutputIsTerminal && !json;

        var kernels = requested is null
            ? NonceKernels.Implemented(algorithm).Where(isa => NonceKernels.WhyUnavailable(algorithm, isa) is null).Select(isa => NonceKernels.Create(algorithm, isa)).ToList()
            : [MiningArgs.CreateKernel(algorithm, requested)];
        var skipped = requested is null
            ? NonceKernels.Implemented(algorithm).Select(isa => (isa, reason: NonceKernels.WhyUnavailable(algorithm, isa))).Where(x => x.reason is not null).ToList()
            : [];
        var threadCounts = threads == 1 ? new[] { 1 } : [1, threads];

        // The genesis header; its nonce bytes are overwritten by the search. A zero target keeps finds rare.
        var header = Convert.FromHexString(
            "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
        var rows = new List<BenchRow>();
        foreach (var kernel in kernels)
        {
            foreach (var n in threadCounts)
            {
                if (progress)
                {
                    await context.Error.WriteLineAsync($"bench: {kernel} × {n} thread(s) for {seconds} s ...");
                }

                var row = await MeasureAsync(kernel, n, header, seconds, cancellationToken);
                rows.Add(row);
                if (!json)
                {
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{algorithm.Lower(),-8} {kernel.Name,-7} threads {n,3}  {row.HashesPerSecond / 1e6,9:F3} MH/s wall  {row.HashesPerCpuSecond / 1e6,9:F3} MH/s per CPU-second  ({row.Hashes} hashes, {row.CpuSeconds:F2} CPU-s, process {row.ProcessCpuSeconds:F2} CPU-s, {row.Seconds:F2} s)"));
                }
            }
        }

        if (json)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                algorithm = algorithm.Lower(),
                best = NonceKernels.Best(algorithm).Name,
                results = rows.Select(r => new
                {
                    kernel = r.Kernel,
                    threads = r.Threads,
                    hashes = r.Hashes,
                    seconds = r.Seconds,
                    hashes_per_second = r.HashesPerSecond,
                    cpu_seconds = r.CpuSeconds,
                    process_cpu_seconds = r.ProcessCpuSeconds,
                    hashes_per_cpu_second = r.HashesPerCpuSecond,
                }),
                unavailable = skipped.Select(s => new { kernel = s.isa.Lower(), reason = s.reason }),
            }));
        }
        else
        {
            foreach (var (isa, reason) in skipped)
            {
                await context.Out.WriteLineAsync($"{algorithm.Lower(),-8} {isa.Lower(),-7} skipped: {reason}");
            }
        }

        return ExitCodes.Success;
    }

    private static async Task<BenchRow> MeasureAsync(NonceKernel kernel, int threads, byte[] header, int seconds, CancellationToken cancellationToken)
    {
        var search = new NonceSearch(kernel, threads, new OsNonceSeedSource());

        // Warm-up: the first call pays JIT and library loading, which is not the kernel's speed.
        await search.SearchAsync(header, Target.FromValue(0), 0, 1 << 16, null, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        var process = Process.GetCurrentProcess();
        var processCpu = process.TotalProcessorTime;
        var report = await search.SearchAsync(header, Target.FromValue(0), 0, 1L << 32, null, stop.Token);
        cancellationToken.ThrowIfCancellationRequested();
        process.Refresh();
        var processSeconds = (process.TotalProcessorTime - processCpu).TotalSeconds;
        var wall = report.Elapsed.TotalSeconds;
        return new BenchRow(kernel.Name, threads, report.HashesDone, wall, report.HashesDone / wall,
            report.WorkerCpuSeconds, processSeconds, report.HashesDone / Math.Max(report.WorkerCpuSeconds, 1e-9));
    }

    private sealed record BenchRow(string Kernel, int Threads, long Hashes, double Seconds, double HashesPerSecond,
        double CpuSeconds, double ProcessCpuSeconds, double HashesPerCpuSecond);
}
