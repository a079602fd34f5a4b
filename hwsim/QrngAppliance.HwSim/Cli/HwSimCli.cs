using System.Globalization;
using System.Runtime.InteropServices;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.HwSim.Cli;

/// <summary>The <c>hwsim</c> command: runs simulated devices until SIGINT/SIGTERM or a <c>quit</c> command.</summary>
public static class HwSimCli
{
    public const string Usage = """
        usage: hwsim truerng|truerngpro|onerng --link PATH [--rate BYTES_PER_SECOND]
                     [--fault none|stuck[:BYTE]|bias[:P]|correlation[:P]|slow[:F]|garbage[:N]] [--control-socket PATH]
               hwsim tpm --state DIR

        tpm: starts the real software TPM (Debian swtpm) on free 127.0.0.1 ports, powered and started, state in DIR;
        prints "ready endpoint=tcp://127.0.0.1:P ctrl=P+1 state=DIR" (use the endpoint as a tpm2 source Path) and runs
        until SIGINT/SIGTERM. Exit 1 when swtpm is missing or does not start.

        Simulates a CDC-ACM TRNG: a pty whose slave is symlinked at PATH (open it like /dev/ttyACM0), streaming random
        bytes at --rate while a reader has it open (defaults: truerng 60000, truerngpro 300000, onerng 44000: inside each firmware profile's rate range).
        truerngpro watches the baud knock 110,300,110,MODE and switches mode; onerng answers cmd0-7, cmdo/cmdO, cmdv
        and cmdX (firmware dump). The USB simulators (Quantis, ChaosKey) are in-process only (no USB bus here).
        Prints "ready link=... slave=... rate=... fault=... device=..." when up.
        Runs until SIGINT/SIGTERM. Control lines on stdin (and on --control-socket, a unix socket), one reply each:
          fault KIND[:ARG]                                   change the injected fault (none, stuck, bias, correlation,
                                                             slow, garbage, disconnect, reconnect; as qrng sim fault)
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
        if (args.Length > 0 && args[0] == "tpm")
        {
            return await RunTpmAsync(args, stdout, stderr, stop.Token).ConfigureAwait(false);
        }

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

        ISimulatedDevice sim;
        try
        {
            sim = Start(options);
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
                $"ready link={sim.LinkPath} slave={sim.SlavePath} rate={sim.BytesPerSecond} fault={sim.Fault} device={options.Device}")).ConfigureAwait(false);
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

    private static async Task<int> RunTpmAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        if (args.Length != 3 || args[1] != "--state")
        {
            await stderr.WriteLineAsync(args.Length > 1 && args[1] is "--help" or "-h" ? Usage : "hwsim: tpm needs exactly --state DIR").ConfigureAwait(false);
            return args.Length > 1 && args[1] is "--help" or "-h" ? 0 : 2;
        }

        Tpm.SwtpmProcess tpm;
        try
        {
            tpm = await Tpm.SwtpmProcess.StartAsync(Path.GetFullPath(args[2]), cancellationToken: stop).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"hwsim: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (tpm.ConfigureAwait(false))
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"ready endpoint={tpm.Endpoint} ctrl={tpm.CtrlPort} state={tpm.StateDirectory}")).ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }

    private static ISimulatedDevice Start(TrueRngOptions options)
    {
        switch (options.Device)
        {
            case "truerngpro":
                var pro = Serial.SimulatedTrueRngPro.Start(options.Link, options.Rate);
                pro.SetFault(options.Fault);
                return pro;
            case "onerng":
                var one = Serial.SimulatedOneRng.Start(options.Link, options.Rate);
                one.SetFault(options.Fault);
                return one;
            default:
                return SimulatedTrueRng.Start(options.Link, options.Rate, options.Fault);
        }
    }

    private static async Task ReadControlLinesAsync(ISimulatedDevice sim, TextReader stdin, TextWriter output, CancellationTokenSource stop)
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
