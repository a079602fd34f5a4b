using System.Diagnostics;
using System.Text.Json;
using QrngAppliance.HwSim.Processes;

namespace QrngAppliance.IntegrationTests.Mining;

/// <summary>
/// A child process that prints one JSON object per stdout line (the npm pool's runner, the mock bitcoind).
/// Started through <see cref="ParentBoundProcess"/> with its stdin held open: a killed test
/// host takes it down by the parent-death signal, and the node scripts also exit when their stdin closes. Every wait
/// is bounded; disposing kills it if it still runs.
/// </summary>
internal sealed class EventProcess : IAsyncDisposable
{
    private const int StderrTailLines = 200;
    private static readonly TimeSpan s_exitBound = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string _name;
    private readonly List<JsonElement> _events = [];
    private readonly Queue<string> _stderrTail = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private EventProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every event read so far, in order.</summary>
    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The last lines of stderr, for failure messages.</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return string.Join('\n', _stderrTail);
            }
        }
    }

    public static EventProcess Start(string name, string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return new EventProcess(ParentBoundProcess.Start(info), name);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {name} ('{fileName}': {e.Message})", e);
        }
    }

    /// <summary>The first event (read already or still to come) that matches; fails when the process ends first or after the bound.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, TimeSpan bound)
    {
        var deadline = Stopwatch.StartNew();
        var seen = 0;
        while (true)
        {
            Task changed;
            lock (_events)
            {
                for (; seen < _events.Count; seen++)
                {
                    if (match(_events[seen]))
                    {
                        return _events[seen];
                    }
                }

                if (_ended)
                {
                    throw new InvalidOperationException($"{_name} exited without {what}; events:\n{Dump()}\nstderr:\n{StderrTail}");
                }

                changed = _changed.Task;
            }

            var left = bound - deadline.Elapsed;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                throw new TimeoutException($"{_name} showed no {what} within {bound.TotalSeconds} s; events:\n{Dump()}\nstderr:\n{StderrTail}");
            }
        }
    }

    public Task<JsonElement> WaitForEventAsync(string name, TimeSpan bound) =>
        WaitForAsync(e => e.TryGetProperty("event", out var v) && v.GetString() == name, $"'{name}' event", bound);

    /// <summary>SIGKILL: the process gets no chance to say goodbye (a pool that crashes).</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await WaitForExitAsync();
    }

    /// <summary>Closes stdin (the node scripts then print their summary and exit) and waits, bounded.</summary>
    public async Task<int> CloseInputAndWaitAsync()
    {
        _process.StandardInput.Close();
        return await WaitForExitAsync();
    }

    /// <summary>Waits (bounded) for the exit and for every line it printed; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(s_exitBound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_name} did not exit within {s_exitBound.TotalSeconds} s; stderr:\n{StderrTail}");
        }

        await Task.WhenAll(_stdoutPump, _stderrPump);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(s_exitBound);
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }

    private string Dump() => string.Join('\n', Events.Select(e => e.GetRawText()));

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            JsonElement e;
            try
            {
                e = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not an event: keep it where failure messages show it.
                AddStderr("stdout: " + line);
                continue;
            }

            Signal(() => _events.Add(e));
        }

        Signal(() => _ended = true);
    }

    /// <summary>Applies a change to the event list and wakes every waiter.</summary>
    private void Signal(Action change)
    {
        TaskCompletionSource woken;
        lock (_events)
        {
            change();
            woken = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.SetResult();
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            AddStderr(line);
        }
    }

    private void AddStderr(string line)
    {
        lock (_stderrTail)
        {
            _stderrTail.Enqueue(line);
            if (_stderrTail.Count > StderrTailLines)
            {
                _stderrTail.Dequeue();
            }
        }
    }
}
