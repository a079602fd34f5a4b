using System.Globalization;
using System.Runtime.InteropServices;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Cli;

/// <summary>The <c>hwsim</c> command: runs simulated devices until SIGINT/SIGTERM or a <c>quit</c> command.</summary>
public static class HwSimCli
{
    public const string Usage = """
        usage: hwsim truerng --link PATH [--rate BYTES_PER_SECOND] [--fault none|stuck[:BYTE]|bias[:P]|correlation[:P]|slow[:F]|garbage[:N]] [--control-socket PATH]

        Simulates a TrueRNG: a pty whose slave is symlinked at PATH (open it like /dev/ttyACM0), streaming random
        bytes at --rate (default 16000) while a reader has it open. Prints "ready link=... slave=..." when up.
        Runs until SIGINT/SIGTERM. Control lines on stdin (and on --control-socket, a unix socket), one reply each:
          fault none | fault stuck[:BYTE] | fault bias[:P]   change the injected fault
          disconnect | reconnect                             unplug (close the pty, remove the link) / replug
          status | quit
        Exit codes: 0 stopped, 2 usage error.
        """;

    /// <summary>Entry point: wires the console and SIGINT/SIGTERM.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await RunAsync(args, Console.In, Console.Out, Console.Error, stop).ConfigureAwait(false);
    }

    /// <summary>Runs with the given console streams until <paramref name="stop"/> is cancelled or <c>quit</c> arrives.</summary>
    internal static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationTokenSource stop)
    {
        TrueRngOptions options;
        try
        {
            options = TrueRngOptions.Parse(args);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"hwsim: {e.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        if (options.Help)
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        SimulatedTrueRng sim;
        try
        {
            sim = SimulatedTrueRng.Start(options.Link, options.Rate, options.Fault);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"hwsim: cannot create the device at {options.Link}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (sim.ConfigureAwait(false))
        {
            UnixControlSocket? socket = null;
            try
            {
                if (options.ControlSocket is { } socketPath)
                {
                    socket = UnixControlSocket.Bind(socketPath);
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                await stderr.WriteLineAsync($"hwsim: --control-socket {options.ControlSocket}: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            var output = TextWriter.Synchronized(stdout);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"ready link={sim.LinkPath} slave={sim.SlavePath} rate={sim.BytesPerSecond} fault={sim.Fault}")).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);

            Task socketTask = socket?.ServeAsync(sim, stop.Cancel, stop.Token) ?? Task.CompletedTask;
            // The stdin loop is not awaited at shutdown: a console read cannot be interrupted, and stdin may be
            // /dev/null (EOF at once, so the simulator keeps running until a signal).
            _ = Task.Run(() => ReadControlLinesAsync(sim, stdin, output, stop), CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await socketTask.ConfigureAwait(false);
            if (socket is not null)
            {
                await socket.DisposeAsync().ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task ReadControlLinesAsync(SimulatedTrueRng sim, TextReader stdin, TextWriter output, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested && await stdin.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                string reply = ControlCommands.Execute(sim, line, out bool quit);
                await output.WriteLineAsync(reply).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
                if (quit)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
    }
}
