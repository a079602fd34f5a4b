using System.Collections.Concurrent;

namespace QrngAppliance.Mining.Search;

/// <summary>
/// Runs search workers on threads of their own at nice 19, without the nice value ever reaching other threads.
/// A Linux thread inherits the nice value of the thread that creates it, and the .NET thread pool creates its
/// threads from whichever thread queues work; so a niced worker must never queue work, run a continuation or
/// call back into other code. Here workers only fill a queue; a normal-priority coordinator thread (created by the
/// caller) starts them, hands each find to the callback, joins them, and completes the task asynchronously.
/// </summary>
internal static class LowPrioritySearch
{
    public const string WorkerThreadName = "qrng-mine";

    public static Task RunAsync(int threads, Action<int, Action<FoundNonce>> work, Action<FoundNonce>? onFound)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var coordinator = new Thread(() =>
        {
            var finds = new ConcurrentQueue<FoundNonce>();
            using var signal = new SemaphoreSlim(0);
            var failures = new ConcurrentQueue<Exception>();
            var workers = Enumerable.Range(0, threads).Select(w => new Thread(() =>
            {
                LowCpuPriority.ApplyToCurrentThread();
                try
                {
                    work(w, f =>
                    {
                        finds.Enqueue(f);
                        signal.Release(); // wakes the coordinator's synchronous Wait: no thread-pool work is queued
                    });
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            })
            { IsBackground = true, Name = WorkerThreadName }).ToList();
            try
            {
                workers.ForEach(t => t.Start());
                while (workers.Any(t => t.IsAlive))
                {
                    signal.Wait(TimeSpan.FromMilliseconds(50));
                    Deliver(finds, onFound);
                }

                workers.ForEach(t => t.Join());
                Deliver(finds, onFound);
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }

            if (failures.IsEmpty)
            {
                done.SetResult();
            }
            else
            {
                done.SetException(failures);
            }
        })
        { IsBackground = true, Name = "qrng-mine-coord" };
        coordinator.Start();
        return done.Task;
    }

    private static void Deliver(ConcurrentQueue<FoundNonce> finds, Action<FoundNonce>? onFound)
    {
        while (finds.TryDequeue(out var find))
        {
            onFound?.Invoke(find);
        }
    }
}
