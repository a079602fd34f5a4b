using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using QrngAppliance.HwSim.Processes;

namespace QrngAppliance.HwSim.Tpm;

/// <summary>
/// The simulated TPM is the real software TPM, Debian's <c>swtpm</c> (DESIGN.md: hwsim), on 127.0.0.1: raw TPM 2.0
/// command port P and swtpm's control port P+1 (the pair tpm2-tools' swtpm TCTI expects), powered and started
/// (<c>--flags not-need-init,startup-clear</c>) unless asked otherwise, state in <see cref="StateDirectory"/>. Killed on
/// dispose, and by the kernel when the process that started it dies (<see cref="ParentBoundProcess"/>), so a killed
/// appliance or test host never leaves a swtpm holding the state lock.
/// </summary>
public sealed class SwtpmProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private SwtpmProcess(Process process, int port, string stateDirectory)
    {
        _process = process;
        Port = port;
        StateDirectory = stateDirectory;
    }

    /// <summary>Raw TPM command port on 127.0.0.1.</summary>
    public int Port { get; }

    public int CtrlPort => Port + 1;

    public string StateDirectory { get; }

    /// <summary>What a TPM source's Path is set to: <c>tcp://127.0.0.1:P</c>.</summary>
    public string Endpoint => $"tcp://127.0.0.1:{Port}";

    public bool HasExited => _process.HasExited;

    /// <summary>The swtpm binary on PATH, or null when the package is not installed.</summary>
    public static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "swtpm"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts swtpm on a free adjacent port pair, retrying twice if another process takes the ports first.</summary>
    /// <exception cref="FileNotFoundException">swtpm is not installed.</exception>
    /// <exception cref="IOException">swtpm did not come up within 10 s.</exception>
    /// <param name="powered">
    /// true (the simulator's default): <c>--flags not-need-init,startup-clear</c>, ready at once. false: no flags, so
    /// the TPM stays in failure mode until CMD_INIT on the control port, then wants TPM2_Startup (power-on tests).
    /// </param>
    public static async Task<SwtpmProcess> StartAsync(string stateDirectory, bool powered = true, CancellationToken cancellationToken = default)
    {
        string swtpm = FindBinary() ?? throw new FileNotFoundException("swtpm is not installed (Debian: apt-get install swtpm)");
        Directory.CreateDirectory(stateDirectory);
        for (int attempt = 0; ; attempt++)
        {
            int port = FindFreePortPair();
            var info = new ProcessStartInfo(swtpm) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in (string[])["socket", "--tpm2",
                         "--server", $"type=tcp,port={port},bindaddr=127.0.0.1",
                         "--ctrl", $"type=tcp,port={port + 1},bindaddr=127.0.0.1",
                         "--tpmstate", $"dir={stateDirectory}"])
            {
                info.ArgumentList.Add(a);
            }

            if (powered)
            {
                info.ArgumentList.Add("--flags");
                info.ArgumentList.Add("not-need-init,startup-clear");
            }

            var instance = new SwtpmProcess(ParentBoundProcess.Start(info), port, stateDirectory);
            if (await instance.WaitUntilListeningAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
            {
                return instance;
            }

            string stderr = instance.HasExited ? await instance._process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : "(no answer)";
            await instance.DisposeAsync().ConfigureAwait(false);
            if (attempt == 2)
            {
                throw new IOException($"swtpm did not start listening on 127.0.0.1:{port}: {stderr.Trim()}");
            }
        }
    }

    /// <summary>SIGKILL: the TPM vanishes without TPM2_Shutdown, as an unplugged device would.</summary>
    /// <remarks>Idempotent: a test may kill the TPM mid-run and dispose again at the end.</remarks>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> WaitUntilListeningAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            // Probe only the control port: the command port serves one client at a time and belongs to the driver.
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, CtrlPort, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

    /// <summary>A port P with P+1 also free on 127.0.0.1: swtpm's command port and its control port.</summary>
    internal static int FindFreePortPair()
    {
        for (int i = 0; i < 50; i++)
        {
            var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            int port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                if (port >= IPEndPoint.MaxPort)
                {
                    continue;
                }

                var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                second.Stop();
                return port;
            }
            catch (SocketException)
            {
                // P+1 taken; try another P
            }
            finally
            {
                first.Stop();
            }
        }

        throw new IOException("no free pair of adjacent TCP ports on 127.0.0.1");
    }
}
