using System.Security.Cryptography;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Storage.Consumption;
using QrngAppliance.Storage.Sqlite;

namespace QrngAppliance.Storage.Tests;

/// <summary>
/// Entry point of the test assembly. Under the test host it is never called; run as
/// <c>dotnet QrngAppliance.Storage.Tests.dll crash-writer PATH</c> it appends batches to a journal forever,
/// reporting each commit on stdout, until the crash test kills it;
/// <c>crash-consumer PATH</c> does the same with consumption ledger records.
/// </summary>
public static class CrashWriterProgram
{
    public const int BatchSize = 25;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["crash-consumer", var ledgerPath])
        {
            return await ConsumeForeverAsync(ledgerPath);
        }

        if (args is not ["crash-writer", var path])
        {
            return 2;
        }

        await using var journal = await SqliteJournal.OpenAsync(path);
        for (long batch = 0; ; batch++)
        {
            var first = batch * BatchSize;
            await journal.AppendLeavesAsync([.. Enumerable.Range(0, BatchSize).Select(i => new StoredLeaf(first + i, LeafData(first + i)))]);
            var previous = await journal.LatestPulseAsync();
            await journal.AppendPulseAsync(JournalPulses.Make((ulong)batch, previous is null ? new byte[32] : PulseCodec.Hash(previous), first + BatchSize));
            Console.Out.WriteLine($"committed {batch + 1}");
            Console.Out.Flush();
        }
    }

    /// <summary>Records consumption i = leaves 3i..3i+2 (96 bytes) forever, reporting each commit, until killed.</summary>
    private static async Task<int> ConsumeForeverAsync(string path)
    {
        await using var ledger = await SqliteConsumptionLedger.OpenAsync(path);
        for (long i = 0; ; i++)
        {
            await ledger.ConsumeAsync(new ConsumptionRecord(ConsumptionKind.Attested, $"req-{i}", 96, [3 * i, 3 * i + 1, 3 * i + 2], DateTimeOffset.UnixEpoch));
            Console.Out.WriteLine($"committed {i + 1}");
            Console.Out.Flush();
        }
    }

    /// <summary>Deterministic, index-bound leaf content, large enough that batches span several pages.</summary>
    public static byte[] LeafData(long index) =>
        [.. SHA256.HashData(BitConverter.GetBytes(index)), .. new byte[200], .. BitConverter.GetBytes(index)];
}
