using System.Net;
using System.Net.Sockets;
using QrngAppliance.Devices.Tpm;
using SimulatedTpm = QrngAppliance.HwSim.Tpm.SwtpmProcess;

namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>
/// hwsim's real swtpm (<see cref="SimulatedTpm"/>) with what TPM tests need around it: a temp directory
/// (state under <c>state/</c>, tool outputs beside it) removed on dispose, the control-port power-on, and
/// tpm2-tools pointed at this instance.
/// </summary>
internal sealed class SwtpmProcess : IAsyncDisposable
{
    private readonly SimulatedTpm _swtpm;

    private SwtpmProcess(SimulatedTpm swtpm, string directory)
    {
        _swtpm = swtpm;
        Directory = directory;
    }

    public int Port => _swtpm.Port;

    public int CtrlPort => _swtpm.CtrlPort;

    /// <summary>Temp directory: swtpm state under <c>state/</c>, tool outputs next to it.</summary>
    public string Directory { get; }

    /// <summary>TPM2TOOLS_TCTI value for tpm2-tools against this instance.</summary>
    public string Tcti => $"swtpm:host=127.0.0.1,port={Port}";

    /// <param name="powered">See <see cref="SimulatedTpm.StartAsync"/>: false leaves the TPM unpowered until CMD_INIT.</param>
    public static async Task<SwtpmProcess> StartAsync(bool powered = true)
    {
        if (SimulatedTpm.FindBinary() is null)
        {
            throw new InvalidOperationException("swtpm is not installed: run scripts/install-test-deps.sh");
        }

        string directory = Path.Combine(Path.GetTempPath(), "qrng-swtpm-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            return new SwtpmProcess(await SimulatedTpm.StartAsync(Path.Combine(directory, "state"), powered), directory);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
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
    public void KillProcess() => _swtpm.DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await _swtpm.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory left behind is harmless
        }
    }
}
