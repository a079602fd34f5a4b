using System.Diagnostics;
using System.Threading.Channels;
using QrngAppliance.HwSim.Processes;

namespace QrngAppliance.IntegrationTests.Cli;

/// <summary>
/// <c>qrng</c> as a real child process (the built qrng.dll under the same dotnet host), for what only a process shows:
/// exit codes, everything on stderr, and what survives a SIGKILL. Started through <see cref="ParentBoundProcess"/>, so
/// a test host that is itself killed takes it down, and with it its swtpm. Disposing kills it and waits, bounded.
/// </summary>
internal sealed class QrngProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Channel<string> _stderrLines = Channel.CreateUnbounded<string>();
    private readonly List<string> _stderr = [];
    private readonly Task _stderrPump;
    private readonly Task<string> _stdout;

    private QrngProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderrPump = PumpStderrAsync();
    }

    public int Pid => _process.Id;

    /// <summary>Every stderr line read so far.</summary>
    public IReadOnlyList<string> Stderr
    {
        get
        {
            lock (_stderr)
            {
                return [.. _stderr];
            }
        }
    }

    public static QrngProcess Start(params string[] arguments)
    {
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qrng.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new QrngProcess(ParentBoundProcess.Start(info));
    }

    /// <summary>Reads stderr until a line contains <paramref name="text"/>; fails on exit or after the bound.</summary>
    public async Task<string> WaitForStderrAsync(string text)
    {
        using var timeout = new CancellationTokenSource(s_bound);
        try
        {
            await foreach (var line in _stderrLines.Reader.ReadAllAsync(timeout.Token))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"qrng printed no '{text}' within {s_bound.TotalSeconds} s; stderr so far:\n{string.Join('\n', Stderr)}");
        }

        throw new InvalidOperationException($"qrng exited ({_process.ExitCode}) without printing '{text}'; stderr:\n{string.Join('\n', Stderr)}");
    }

    /// <summary>Waits (bounded) for the process to exit by itself; returns its exit code and whole stderr.</summary>
    public async Task<(int ExitCode, string Stderr)> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(s_bound);
        await _process.WaitForExitAsync(timeout.Token);
        await _stderrPump;
        await _stdout;
        return (_process.ExitCode, string.Concat(Stderr.Select(l => l + "\n")));
    }

    /// <summary>SIGKILL: no handler, finally block or Dispose runs in qrng.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        using var timeout = new CancellationTokenSource(s_bound);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(s_bound);
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr)
            {
                _stderr.Add(line);
            }

            await _stderrLines.Writer.WriteAsync(line);
        }

        _stderrLines.Writer.Complete();
    }
}
