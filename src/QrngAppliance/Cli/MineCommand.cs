using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using QrngAppliance.Mining.Search;
using QrngAppliance.Mining.Stratum;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng mine</c>: a solo nonce search over one header, or Stratum v1 pool mining. Nonce partitions are ordered
/// by OS-CSPRNG seeds here, and every find says so (seed provenance <c>os-csprng</c>) and names its partition.
/// </summary>
public sealed class MineCommand : ICliCommand
{
    public string Name => "mine";

    public string Summary => "search nonces of a block header, or mine for a Stratum v1 pool";

    public string Usage => """
        usage: qrng mine --header HEX --start N --count M [--algo sha256d|sha3d] [--kernel K] [--threads N] [--difficulty D] [--json]
               qrng mine --pool stratum+tcp://HOST:PORT[,URL...] --user U --pass P [--algo A] [--kernel K] [--threads N] [--seconds S] [--json]

        Solo: searches nonces [N, N+M) of the 80-byte header (160 hex digits) for hashes meeting the header's
        nBits target (or difficulty D) and prints each nonce and hash; exit 1 when none is found.
        Pool: mines until interrupted (or for S seconds) and prints accepted/rejected counts with the pool's
        error codes. Several pools are tried in the order given (failover, and back when a better one returns);
        connection events go to stderr. Exit 1 when no pool gave a session within 15 s (unresolvable host,
        refused connection, refused worker). Kernel: auto (default), scalar, avx2, avx512, shani.
        """;

    public IReadOnlyList<string> Flags => ["--json"];

    public IReadOnlyList<string> ValuedOptions =>
        ["--header", "--start", "--count", "--algo", "--kernel", "--threads", "--difficulty", "--pool", "--user", "--pass", "--seconds"];

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "nothing");
        return (args.Value("--pool"), args.Value("--header")) switch
        {
            (not null, not null) => throw new UsageException("--pool and --header exclude each other"),
            (not null, null) => PoolAsync(args, context, cancellationToken),
            (null, not null) => SoloAsync(args, context, cancellationToken),
            _ => throw new UsageException("either --header or --pool is required"),
        };
    }

    private static async Task<int> SoloAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var hex = args.Required("--header");
        if (hex.Length != 160)
        {
            throw new UsageException($"--header must be 160 hex digits (an 80-byte header), got {hex.Length} characters");
        }

        if (hex.Select((c, i) => (c, i)).FirstOrDefault(x => !char.IsAsciiHexDigit(x.c)) is { c: not '\0' } bad)
        {
            throw new UsageException($"--header must be hex: character {bad.i + 1} is '{bad.c}'");
        }

        var header = Convert.FromHexString(hex);
        var start = args.Int64("--start", 0, 0, uint.MaxValue);
        var count = args.Int64("--count", 0, 1, (1L << 32) - start);
        if (args.Value("--count") is null)
        {
            throw new UsageException("--count is required");
        }

        var algorithm = MiningArgs.Algorithm(args);
        var kernel = MiningArgs.CreateKernel(algorithm, MiningArgs.Kernel(args));
        var target = TargetFrom(args, header);
        var json = args.Flag("--json");

        var search = new NonceSearch(kernel, MiningArgs.Threads(args, context, "mine"), new OsNonceSeedSource());
        var searching = search.SearchAsync(header, target, start, count, null, cancellationToken);
        if (context.OutputIsTerminal && !json)
        {
            // Progress on a terminal only (DESIGN "Command line"): once a second, on stderr.
            while (await Task.WhenAny(searching, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)) != searching)
            {
                await context.Error.WriteAsync($"\rmine: {search.HashesDone} of {count} nonces ({100.0 * search.HashesDone / count:F1} %)");
            }

            await context.Error.WriteLineAsync();
        }

        var report = await searching;
        if (json)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                algorithm = algorithm.Lower(),
                kernel = kernel.Name,
                target = target.ToString(),
                start,
                count,
                hashes = report.HashesDone,
                completed = report.Completed,
                seed = report.Seed.BytesHex,
                seed_provenance = report.Seed.Provenance,
                found = report.Found.Select(f => new
                {
                    nonce = f.Nonce,
                    nonce_hex = f.Nonce.ToString("x8", CultureInfo.InvariantCulture),
                    hash = HashHex.ToDisplay(f.Hash),
                    partition = f.Partition,
                    partition_start = f.PartitionStart,
                }),
            }));
        }
        else
        {
            foreach (var f in report.Found)
            {
                await context.Out.WriteLineAsync($"nonce {f.Nonce} (0x{f.Nonce:x8}) hash {HashHex.ToDisplay(f.Hash)}");
            }

            await context.Out.WriteLineAsync(
                $"{report.Found.Count} found in {report.HashesDone} hashes ({algorithm.Lower()}/{kernel.Name}, seed {report.Seed.Provenance})");
        }

        return report.Found.Count > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static Target TargetFrom(CommandArgs args, byte[] header)
    {
        if (args.Value("--difficulty") is { } text)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d > 0
                ? Target.FromDifficulty(d)
                : throw new UsageException($"--difficulty must be a positive number, got '{text}'");
        }

        var bits = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(72));
        try
        {
            return Target.FromCompact(bits);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--header: {e.Message}");
        }
    }

    private static async Task<int> PoolAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var urls = PoolUrls(args.Required("--pool"));
        var user = args.Required("--user");
        var password = args.Value("--pass") ?? "x";
        var seconds = args.Int32("--seconds", 0, 0, int.MaxValue);
        var algorithm = MiningArgs.Algorithm(args);
        var kernel = MiningArgs.CreateKernel(algorithm, MiningArgs.Kernel(args));
        var json = args.Flag("--json");
        var threads = MiningArgs.Threads(args, context, "mine");

        // A host that does not resolve will not start resolving by retrying: say so now, in one line.
        foreach (var uri in urls)
        {
            try
            {
                await Dns.GetHostAddressesAsync(uri.Host, cancellationToken);
            }
            catch (SocketException e)
            {
                await context.Error.WriteLineAsync($"qrng mine: cannot resolve pool host '{uri.Host}': {e.Message}");
                return ExitCodes.Failure;
            }
        }

        var errorLock = new object();
        PoolMiner? miner = null;
        void Write(string line)
        {
            lock (errorLock)
            {
                context.Error.WriteLine(line);
            }
        }

        // Until a first session, failures stay quiet: if none comes, one final line says why.
        void Log(string line)
        {
            if (miner?.Stats.Connections > 0)
            {
                Write(line);
            }
        }

        var search = new NonceSearch(kernel, threads, new OsNonceSeedSource());
        miner = new PoolMiner(
            new PoolMinerOptions(user, password) { GiveUpWithoutSession = TimeSpan.FromSeconds(15) },
            [.. urls.Select(PoolEndpoint.Tcp)],
            search,
            TimeProvider.System,
            Log,
            context.OutputIsTerminal && !json ? Write : null);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (seconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            await miner.RunAsync(stop.Token);
        }
        catch (PoolUnreachableException e)
        {
            await context.Error.WriteLineAsync($"qrng mine: {e.Message}");
            return ExitCodes.Failure;
        }

        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var stats = miner.Stats;
        if (json)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                pool = string.Join(",", urls.Select(u => u.OriginalString)),
                algorithm = algorithm.Lower(),
                kernel = kernel.Name,
                accepted = stats.Accepted,
                rejected = stats.Rejected,
                stale = stats.Stale,
                reject_codes = stats.RejectCodes.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
                connections = stats.Connections,
                jobs = stats.Jobs,
                hashes = miner.HashesDone,
                seconds = elapsed,
                shares = stats.Shares.Select(s => new
                {
                    job_id = s.Share.JobId,
                    extranonce2 = s.Share.Extranonce2,
                    ntime = s.Share.NTime,
                    nonce = s.Share.NonceHex,
                    hash = HashHex.ToDisplay(s.Found.Hash),
                    accepted = s.Result.Accepted,
                    error_code = s.Result.ErrorCode,
                    partition = s.Found.Partition,
                    seed_provenance = s.Found.Seed.Provenance,
                }),
            }));
        }
        else
        {
            var codes = string.Join(", ", stats.RejectCodes.Select(kv => $"{kv.Key}×{kv.Value}"));
            await context.Out.WriteLineAsync(
                $"accepted {stats.Accepted}, rejected {stats.Rejected}{(codes.Length > 0 ? $" ({codes})" : string.Empty)}, " +
                $"{miner.HashesDone} hashes in {elapsed:F1} s with {algorithm.Lower()}/{kernel.Name}");
        }

        if (stats.Connections == 0)
        {
            // The run ended (--seconds) before any pool gave a session: nothing was mined, and that is a failure.
            await context.Error.WriteLineAsync($"qrng mine: no pool session in {elapsed:F1} s: {stats.LastError ?? "no answer"}");
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private static List<Uri> PoolUrls(string text)
    {
        var urls = new List<Uri>();
        foreach (var url in text.Split(','))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "stratum+tcp" || uri.IsDefaultPort || uri.Port <= 0)
            {
                throw new UsageException($"--pool must look like stratum+tcp://HOST:PORT (several separated by commas), got '{url}'");
            }

            urls.Add(uri);
        }

        return urls;
    }
}
