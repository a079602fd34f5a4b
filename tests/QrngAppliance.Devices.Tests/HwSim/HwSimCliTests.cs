using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Serial;
using QrngAppliance.HwSim.Cli;

namespace QrngAppliance.Devices.Tests.HwSim;

public sealed class HwSimCliTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(new string[0], "missing device")]
    [InlineData(new[] { "chaoskey", "--link", "/tmp/x" }, "unknown device 'chaoskey'")]
    [InlineData(new[] { "truerng" }, "--link PATH is required")]
    [InlineData(new[] { "truerng", "--link", "/tmp/x", "--rate", "0" }, "--rate")]
    [InlineData(new[] { "truerng", "--link", "/tmp/x", "--rate", "fast" }, "--rate")]
    [InlineData(new[] { "truerng", "--link", "/tmp/x", "--fault", "melted" }, "--fault: unknown fault 'melted'")]
    [InlineData(new[] { "truerng", "--link", "/tmp/x", "--fault", "bias:1.5" }, "--fault")]
    [InlineData(new[] { "truerng", "--link" }, "--link needs a value")]
    [InlineData(new[] { "truerng", "--link", "/tmp/x", "--speed", "9" }, "unknown option '--speed'")]
    public async Task Bad_arguments_exit_2_with_a_message_naming_the_argument(string[] args, string expected)
    {
        var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();

        int code = await HwSimCli.RunAsync(args, TextReader.Null, TextWriter.Null, stderr, stop);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr.ToString());
    }

    [Fact]
    public async Task Faults_disconnect_and_reconnect_arrive_over_stdin_and_the_control_socket()
    {
        string link = _dir.File("dev/truerng0");
        string socketPath = _dir.File("ctl");
        var stdin = new ChannelReader();
        var stdout = new LineWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<int> run = HwSimCli.RunAsync(
            ["truerng", "--link", link, "--rate", "100000", "--control-socket", socketPath], stdin, stdout, TextWriter.Null, stop);

        Assert.StartsWith($"ready link={link} slave=/dev/pts/", await stdout.NextLineAsync());

        stdin.Send("fault stuck 0x11");
        Assert.Equal("ok fault stuck:0x11", await stdout.NextLineAsync());
        FirmwareProfile profile = FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "truerng-v3.json"));
        await using (var source = TrueRngEntropySource.Open(link, profile, "truerng0"))
        {
            await ReadRunAsync(source, 0x11, 256);
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream);
        await using var writer = new StreamWriter(stream) { AutoFlush = true, NewLine = "\n" };

        Assert.Equal("ok disconnected", await CommandAsync(writer, reader, "disconnect"));
        Assert.False(File.Exists(link));
        Assert.StartsWith("ok link=", await CommandAsync(writer, reader, "status"));
        Assert.StartsWith("ok reconnected slave=/dev/pts/", await CommandAsync(writer, reader, "reconnect"));
        Assert.True(File.Exists(link));
        Assert.StartsWith("error unknown command 'explode'", await CommandAsync(writer, reader, "explode"));
        Assert.StartsWith("error unknown fault", await CommandAsync(writer, reader, "fault sideways"));
        Assert.Equal("ok quitting", await CommandAsync(writer, reader, "quit"));

        Assert.Same(run, await Task.WhenAny(run, Task.Delay(s_bound)));
        Assert.Equal(0, await run);
        Assert.False(File.Exists(link));
        Assert.False(File.Exists(socketPath));
    }

    [Fact]
    public async Task Onerng_runs_under_the_cli_answers_the_driver_and_takes_new_fault_kinds()
    {
        string link = _dir.File("dev/onerng0");
        var stdin = new ChannelReader();
        var stdout = new LineWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<int> run = HwSimCli.RunAsync(["onerng", "--link", link, "--rate", "100000", "--fault", "slow:4"], stdin, stdout, TextWriter.Null, stop);

        string ready = await stdout.NextLineAsync();
        Assert.StartsWith($"ready link={link} slave=/dev/pts/", ready);
        Assert.EndsWith("fault=slow:4 device=onerng", ready);
        FirmwareProfile profile = FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "onerng.json"));
        await using (var source = await OneRngEntropySource.OpenAsync(link, profile, "onerng0"))
        {
            Assert.NotNull(source.Firmware);
        }

        stdin.Send("fault correlation:0.9");
        Assert.Equal("ok fault correlation:0.9", await stdout.NextLineAsync());
        stdin.Send("fault garbage:16");
        Assert.Equal("ok fault garbage:16", await stdout.NextLineAsync());
        stdin.Send("quit");
        Assert.Equal("ok quitting", await stdout.NextLineAsync());
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Truerngpro_runs_under_the_cli_and_sees_the_knock()
    {
        string link = _dir.File("dev/truerngpro0");
        var stdin = new ChannelReader();
        var stdout = new LineWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<int> run = HwSimCli.RunAsync(["truerngpro", "--link", link], stdin, stdout, TextWriter.Null, stop);
        Assert.EndsWith("device=truerngpro", await stdout.NextLineAsync());

        using (await TrueRngProKnock.SelectModeAsync(link, TrueRngProMode.Rng1White, TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(60)))
        {
        }

        stdin.Send("status");
        Assert.StartsWith("ok link=", await stdout.NextLineAsync());
        stdin.Send("quit");
        Assert.Equal("ok quitting", await stdout.NextLineAsync());
        Assert.Equal(0, await run);
    }

    private static async Task<string?> CommandAsync(StreamWriter writer, StreamReader reader, string command)
    {
        await writer.WriteLineAsync(command);
        using var timeout = new CancellationTokenSource(s_bound);
        return await reader.ReadLineAsync(timeout.Token);
    }

    private static async Task ReadRunAsync(TrueRngEntropySource source, byte value, int length)
    {
        using var timeout = new CancellationTokenSource(s_bound);
        byte[] buffer = new byte[1024];
        int run = 0;
        while (run < length)
        {
            int n = await source.ReadSamplesAsync(buffer, timeout.Token);
            foreach (byte b in buffer.AsSpan(0, n))
            {
                run = b == value ? run + 1 : 0;
            }
        }
    }

    /// <summary>stdin fed line by line from the test.</summary>
    private sealed class ChannelReader : TextReader
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public void Send(string line) => _lines.Writer.TryWrite(line);

        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
            => await _lines.Reader.WaitToReadAsync(cancellationToken) && _lines.Reader.TryRead(out string? line) ? line : null;
    }

    /// <summary>stdout split into lines the test can await.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
        private readonly StringBuilder _current = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                _lines.Writer.TryWrite(_current.ToString());
                _current.Clear();
            }
            else
            {
                _current.Append(value);
            }
        }

        public async Task<string> NextLineAsync()
        {
            using var timeout = new CancellationTokenSource(s_bound);
            return await _lines.Reader.ReadAsync(timeout.Token);
        }
    }
}
