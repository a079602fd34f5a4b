using QrngAppliance.Devices.Kernel;
using QrngAppliance.Storage.Consumption;

namespace QrngAppliance.Pipeline;

/// <summary>
/// Feeds the kernel's input pool, as rngd does: every period, one conditioned block, recorded in the consumption
/// ledger as <c>kernel-sink-&lt;leaf&gt;</c> (so a block given to the kernel is never also handed to a consumer or the DRBG), goes in with RNDADDENTROPY,
/// credited with what the conditioner credited it.
/// </summary>
public sealed partial class KernelSinkService(
    KernelEntropySink sink, AttestedConsumption consumption, TimeSpan period, TimeProvider time, ILogger<KernelSinkService> logger) : BackgroundService
{
    private long _blocksFed;

    /// <summary>Opens /dev/random and proves RNDADDENTROPY is permitted by mixing in 32 OS-random bytes credited 0 bits.</summary>
    /// <exception cref="UnauthorizedAccessException">The process lacks CAP_SYS_ADMIN.</exception>
    public static KernelEntropySink OpenChecked(string path = KernelEntropySink.DefaultPath)
    {
        var sink = KernelEntropySink.Open(path);
        try
        {
            sink.AddEntropy(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), 0);
            return sink;
        }
        catch
        {
            sink.Dispose();
            throw;
        }
    }

    /// <summary>Blocks fed so far.</summary>
    public long BlocksFed => Interlocked.Read(ref _blocksFed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(period, time, stoppingToken);
                if (await consumption.TakeInternalLeafAsync(ConsumptionKind.KernelSink, "kernel-sink") is { } leaf)
                {
                    sink.AddEntropy(leaf.Block.Data, (int)Math.Floor(leaf.Block.CreditedBits));
                    Interlocked.Increment(ref _blocksFed);
                }
            }
        }
        catch (UnauthorizedAccessException e)
        {
            LogDenied(e.Message);
        }
        finally
        {
            sink.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "kernel sink stopped: {Reason}")]
    private partial void LogDenied(string reason);
}
