using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using QrngAppliance.Devices.Interop;
using QrngAppliance.Devices.Serial;
using QrngAppliance.HwSim.Interop;

namespace QrngAppliance.Devices.Tests.Interop;

public class TermiosTests
{
    // Linux termios flag bits (asm-generic/termbits.h), independent of the code under test.
    private const uint Isig = 0x1;
    private const uint Icanon = 0x2;
    private const uint Echo = 0x8;
    private const uint Iexten = 0x8000;
    private const uint Icrnl = 0x100;
    private const uint Ixon = 0x400;
    private const uint Opost = 0x1;
    private const uint Cs8 = 0x30;

    [Fact]
    public void Termios_matches_the_60_byte_glibc_layout()
    {
        Assert.Equal(60, Marshal.SizeOf<Termios>());
        Assert.Equal(60, Unsafe.SizeOf<Termios>());
        Assert.Equal(16, (int)Marshal.OffsetOf<Termios>(nameof(Termios.LineDiscipline)));
        Assert.Equal(17, (int)Marshal.OffsetOf<Termios>(nameof(Termios.Cc)));
        Assert.Equal(52, (int)Marshal.OffsetOf<Termios>(nameof(Termios.InputSpeed)));
        Assert.Equal(56, (int)Marshal.OffsetOf<Termios>(nameof(Termios.OutputSpeed)));
    }

    [Fact]
    public void Opening_a_cooked_pty_makes_it_raw_at_the_requested_speed()
    {
        using Pty pty = Pty.Open(rawSlave: false);
        using SerialPortStream port = SerialPortStream.Open(pty.SlavePath, 19200, assertDtr: true);

        Termios t = port.GetAttributes();
        Assert.Equal(0u, t.LocalFlags & (Icanon | Echo | Isig | Iexten));
        Assert.Equal(0u, t.InputFlags & (Icrnl | Ixon));
        Assert.Equal(0u, t.OutputFlags & Opost);
        Assert.Equal(Cs8, t.ControlFlags & Cs8);
        Assert.Equal(TermiosNative.Clocal | TermiosNative.Cread, t.ControlFlags & (TermiosNative.Clocal | TermiosNative.Cread));
        Assert.Equal(0u, t.ControlFlags & TermiosNative.Crtscts);
        Assert.Equal(1, t.Cc[TermiosNative.Vmin]);
        Assert.Equal(0, t.Cc[TermiosNative.Vtime]);
        Assert.True(BaudRates.TryGetCode(19200, out uint b19200));
        Assert.Equal(b19200, t.OutputSpeed);
    }

    [Fact]
    public void Dtr_on_a_pty_is_reported_as_not_supported_instead_of_failing()
    {
        using Pty pty = Pty.Open();
        using SerialPortStream port = SerialPortStream.Open(pty.SlavePath, 9600, assertDtr: true);

        Assert.Equal(ModemControlResult.NotSupported, port.DtrResult);
        Assert.Equal(ModemControlResult.NotSupported, port.SetDtr(false));
    }

    [Fact]
    public async Task Raw_mode_passes_control_bytes_unchanged_both_ways()
    {
        using Pty pty = Pty.Open(rawSlave: false);
        using SerialPortStream port = SerialPortStream.Open(pty.SlavePath, 9600, assertDtr: false);
        // CR, LF, ^C (ISIG), ^S/^Q (IXON), ^D (EOF), DEL, NUL: cooked mode would change or swallow each of them.
        byte[] special = [0x0d, 0x0a, 0x03, 0x13, 0x11, 0x04, 0x7f, 0x00, 0xff, 0x1a];

        Assert.Equal(Pty.IoStatus.Ok, pty.Write(special, out int written));
        Assert.Equal(special.Length, written);
        byte[] received = await ReadExactlyAsync(port, special.Length);
        Assert.Equal(special, received);

        port.Write(special);
        var fromPort = new List<byte>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        byte[] buffer = new byte[64];
        while (fromPort.Count < special.Length && DateTime.UtcNow < deadline)
        {
            if (pty.Read(buffer, out int read) == Pty.IoStatus.Ok && read > 0)
            {
                fromPort.AddRange(buffer.AsSpan(0, read).ToArray());
            }
            else
            {
                await Task.Delay(5);
            }
        }

        Assert.Equal(special, fromPort.ToArray());
    }

    [Fact]
    public void Opening_a_missing_path_names_the_path()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ttyACM9");

        var e = Assert.Throws<FileNotFoundException>(() => SerialPortStream.Open(path, 9600, true));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Opening_a_regular_file_fails_with_a_tty_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("not-a-tty");
        File.WriteAllBytes(path, [1, 2, 3]);

        var e = Assert.Throws<IOException>(() => SerialPortStream.Open(path, 9600, true));
        Assert.Contains("tcgetattr", e.Message);
    }

    [Fact]
    public void A_non_standard_baud_rate_is_rejected()
    {
        using Pty pty = Pty.Open();
        Assert.Throws<ArgumentOutOfRangeException>(() => SerialPortStream.Open(pty.SlavePath, 12345, true));
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }
}
