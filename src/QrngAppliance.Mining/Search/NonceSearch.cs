using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using QrngAppliance.Mining.Kernels;
using QrngAppliance.Mining.Targets;

namespace QrngAppliance.Mining.Search;

/// <summary>
/// Multi-threaded nonce search over a range of the 32-bit nonce space. The range is cut into partitions whose
/// search order is a permutation drawn from an injected seed; each found nonce records its partition and seed.
/// </summary>
public sealed class NonceSearch
{
    /// <summary>Nonces per kernel call: cancellation is checked between calls (≈ 3 ms at 20 MH/s).</summary>
    internal const int ChunkSize = 1 << 16;

    private const long NonceSpace = 1L << 32;

    private readonly NonceKernel _kernel;
    private readonly int _threads;
    private readonly INonceSeedSource _seeds;
    private long _hashesDone;

    public NonceSearch(NonceKernel kernel, int threads, INonceSeedSource seeds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _kernel = kernel;
        _threads = threads;
        _seeds = seeds;
    }

    public NonceKernel Kernel => _kernel;

    /// <summary>Run the search threads at the lowest CPU priority (nice 19), as the service does so that mining
    /// never delays health tests or pulses; the CLI and benchmarks search at normal priority.</summary>
    public bool LowPriority { get; init; }

    /// <summary>Hashes done by every search of this instance so far; safe to read while searching.</summary>
    public long HashesDone => Interlocked.Read(ref _hashesDone);

    /// <summary>
    /// Searches [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) for nonces whose
    /// hash meets <paramref name="target"/>. Each find is passed to <paramref name="onFound"/> at once (on a
    /// worker thread) and listed in the report. Cancellation ends the search early with Completed = false.
    /// </summary>
    public async Task<SearchReport> SearchAsync(
        ReadOnlyMemory<byte> header80,
        Target target,
        long start,
        long count,
        Action<FoundNonce>? onFound,
        CancellationToken cancellationToken)
    {
        if (header80.Length != 80)
        {
            throw new ArgumentException("a block header is exactly 80 bytes", nameof(header80));
        }

        if (start < 0 || count < 0 || start + count > NonceSpace)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "the range must lie within the 32-bit nonce space");
        }

        var seed = await _seeds.NextSeedAsync(cancellationToken).ConfigureAwait(false);
        var scanner = _kernel.Prepare(header80.Span);
        var partitionSize = PartitionSize(count, _threads, _kernel.Lanes);
        var partitions = count == 0 ? 0 : (int)((count + partitionSize - 1) / partitionSize);
        var order = Permutation(partitions, seed.Bytes);
        var found = new List<FoundNonce>();
        var next = -1;
        var cancelled = false;
        var cpu = new double[_threads];
        var stopwatch = Stopwatch.StartNew();

        void Work(int worker, Action<FoundNonce>? deliver)
        {
            var cpuStart = ThreadCpuTime.Seconds();
            var candidates = new uint[256 + (2 * _kernel.Lanes)];
            var header = header80.ToArray();
            var hash = new byte[32];
            try
            {
                int k;
                while ((k = Interlocked.Increment(ref next)) < partitions)
                {
                    var partition = order[k];
                    var first = start + ((long)partition * partitionSize);
                    var end = Math.Min(first + partitionSize, start + count);
                    for (var at = first; at < end;)
                    {
                        if (cancellationToken.IsCancellationRequested)
                        {
                            cancelled = true;
                            return;
                        }

                        var n = (int)Math.Min(ChunkSize, end - at);
                        var whole = n - (n % _kernel.Lanes);
                        int scanned;
                        int hits;
                        if (whole > 0)
                        {
                            scanned = scanner.Scan((uint)at, whole, target.TopWord, candidates, out hits);
                        }
                        else
                        {
                            // A tail shorter than one batch: the reference hash decides each nonce.
                            scanned = n;
                            hits = 0;
                            for (var i = 0; i < n; i++)
                            {
                                candidates[hits++] = (uint)(at + i);
                            }
                        }

                        for (var i = 0; i < hits; i++)
                        {
                            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(76), candidates[i]);
                            _kernel.Hash(header, hash);
                            if (target.IsMetBy(hash))
                            {
                                var share = new FoundNonce(candidates[i], hash.ToArray(), partition, (uint)first, seed);
                                lock (found)
                                {
                                    found.Add(share);
                                }

                                deliver?.Invoke(share);
                            }
                        }

                        Interlocked.Add(ref _hashesDone, scanned);
                        at += scanned;
                    }
                }
            }
            finally
            {
                cpu[worker] = ThreadCpuTime.Seconds() - cpuStart;
            }
        }

        var before = HashesDone;
        var threads = Math.Min(_threads, Math.Max(1, partitions));
        if (LowPriority)
        {
            await LowPrioritySearch.RunAsync(threads, (worker, deliver) => Work(worker, deliver), onFound).ConfigureAwait(false);
        }
        else
        {
            var workers = Enumerable.Range(0, threads)
                .Select(w => Task.Factory.StartNew(() => Work(w, onFound), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
                .ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        lock (found)
        {
            found.Sort((a, b) => a.Nonce.CompareTo(b.Nonce));
        }

        return new SearchReport(HashesDone - before, found, !cancelled, seed, partitions, stopwatch.Elapsed, cpu.Sum());
    }

    /// <summary>
    /// Partitions of about 1 Mi nonces (a fraction of a second of work), at least 16 per thread for balance,
    /// a multiple of the kernel's lanes.
    /// </summary>
    internal static long PartitionSize(long count, int threads, int lanes)
    {
        var size = Math.Min(1L << 20, Math.Max(lanes, count / (16L * threads)));
        return Math.Max(lanes, size - (size % lanes));
    }

    /// <summary>Fisher–Yates over [0, n) driven by SHA-256(seed ‖ counter): the same seed gives the same order.</summary>
    internal static int[] Permutation(int n, ReadOnlySpan<byte> seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var input = new byte[seed.Length + 8];
        seed.CopyTo(input);
        var block = new byte[32];
        var used = 32;
        ulong counter = 0;
        for (var i = n - 1; i > 0; i--)
        {
            // Rejection sampling keeps the draw unbiased.
            var bound = (uint)(i + 1);
            var limit = uint.MaxValue - (uint.MaxValue % bound);
            uint r;
            do
            {
                if (used == 32)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(seed.Length), counter++);
                    SHA256.HashData(input, block);
                    used = 0;
                }

                r = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(used));
                used += 4;
            }
            while (r >= limit);

            var j = (int)(r % bound);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
