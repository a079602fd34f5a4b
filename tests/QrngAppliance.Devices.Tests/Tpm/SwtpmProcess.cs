using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using QrngAppliance.Devices.Tpm;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>
/// A real swtpm (Debian package) on 127.0.0.1: command port P, control port P+1 (tpm2-tools' swtpm TCTI
/// expects that pair), state in a temp directory; killed and cleaned up on dispose.
/// </summary>
internal sealed class SwtpmProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SwtpmProcess(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public int CtrlPort => Port + 1;

    /// <summary>Temp directory: swtpm state under <c>state/</c>, tool outputs next to it.</summary>
    public string Directory { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>TPM2TOOLS_TCTI value for tpm2-tools against this instance.</summary>
    public string Tcti => $"swtpm:host=127.0.0.1,port={Port}";

    /// <param name="powered">
    /// true: <c>--flags not-need-init,startup-clear</c> (ready at once). false: no flags, so the TPM is in
    /// failure mode until CMD_INIT on the control port, then wants TPM2_Startup.
    /// </param>
    public static async Task<SwtpmProcess> StartAsync(bool powered = true)
    {
        string swtpm = ExternalTool.Find("swtpm")
            ?? throw new InvalidOperationException("swtpm is not installed: run scripts/install-test-deps.sh");
        string directory = Path.Combine(Path.GetTempPath(), "qrng-swtpm-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "state"));

        for (int attempt = 0; ; attempt++)
        {
            int port = QrngAppliance.HwSim.Tpm.SwtpmProcess.FindFreePortPair();
            var info = new ProcessStartInfo(swtpm)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string a in (string[])["socket", "--tpm2",
                         "--server", $"type=tcp,port={port},bindaddr=127.0.0.1",
                         "--ctrl", $"type=tcp,port={port + 1},bindaddr=127.0.0.1",
                         "--tpmstate", $"dir={Path.Combine(directory, "state")}"])
            {
                info.ArgumentList.Add(a);
            }

            if (powered)
            {
                info.ArgumentList.Add("--flags");
                info.ArgumentList.Add("not-need-init,startup-clear");
            }

            var process = Process.Start(info)!;
            var instance = new SwtpmProcess(process, port, directory);
            if (await instance.WaitUntilListeningAsync(TimeSpan.FromSeconds(10)))
            {
                return instance;
            }

            string stderr = process.HasExited ? await process.StandardError.ReadToEndAsync() : "(still running)";
            instance.KillProcess();
            if (attempt == 2)
            {
                System.IO.Directory.Delete(directory, recursive: true);
                throw new InvalidOperationException($"swtpm did not start listening on 127.0.0.1:{port}: {stderr}");
            }
        }
    }

    public Task<TcpTpmTransport> ConnectAsync() => TcpTpmTransport.ConnectAsync("127.0.0.1", Port, CancellationToken.None);

    /// <summary>swtpm control CMD_INIT (include/swtpm/tpm_ioctl.h: u32 2, u32 flags → u32 result): "power on".</summary>
    public async Task SendCtrlInitAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, CtrlPort);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0, 0, 0, 2, 0, 0, 0, 0 });
        byte[] result = new byte[4];
        await stream.ReadExactlyAsync(result);
        Assert.Equal(new byte[4], result);
    }

    /// <summary>Runs a tpm2-tools command against this swtpm (no other client may be connected meanwhile).</summary>
    public async Task<ExternalTool.Result> RunTpm2Async(string tool, params string[] arguments)
    {
        string path = ExternalTool.Find(tool)
            ?? throw new InvalidOperationException($"{tool} is not installed: run scripts/install-test-deps.sh (tpm2-tools)");
        return await ExternalTool.RunAsync(path, arguments, Directory,
            new Dictionary<string, string> { ["TPM2TOOLS_TCTI"] = Tcti });
    }

    /// <summary>Runs a tpm2-tools command and fails the test with its output when it does not exit 0.</summary>
    public async Task<ExternalTool.Result> RunTpm2CheckedAsync(string tool, params string[] arguments)
    {
        var result = await RunTpm2Async(tool, arguments);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)}: {result}");
        return result;
    }

    /// <summary>SIGKILL: the TPM vanishes without TPM2_Shutdown, as an unplugged device would.</summary>
    public void KillProcess()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        _process.WaitForExit(5000);
    }

    public ValueTask DisposeAsync()
    {
        KillProcess();
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory left behind is harmless
        }

        return ValueTask.CompletedTask;
    }

    private async Task<bool> WaitUntilListeningAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            // Probe the control port: the command port serves one client and we want it free for the test.
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, CtrlPort);
                using var command = new TcpClient();
                await command.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        return false;
    }
}
