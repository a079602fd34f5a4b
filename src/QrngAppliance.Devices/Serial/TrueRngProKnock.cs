using System.IO.Ports;

namespace QrngAppliance.Devices.Serial;

/// <summary>
/// The TrueRNGpro mode switch (DEVICES.md §1.1, vendor truerng_mode.py): open and close the port at 110, 300 and
/// 110 baud, then open it at the mode's baud, assert DTR and flush input. The firmware watches the CDC line-coding
/// requests, so each step must reach the device as its own SET_LINE_CODING; the holds give it (and a pty
/// simulator watching termios) time to see each one.
/// </summary>
public static class TrueRngProKnock
{
    /// <summary>The baud sequence that arms the mode switch.</summary>
    public static IReadOnlyList<int> Sequence { get; } = [110, 300, 110];

    /// <summary>How long the first step is held by default (the vendor script holds it 0.5 s).</summary>
    public static readonly TimeSpan DefaultFirstHold = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the other steps are held by default.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Knocks and returns the port open at <paramref name="mode"/>'s baud with DTR asserted and stale input discarded.
    /// </summary>
    /// <param name="stepApplied">
    /// Awaited with each step's baud while the port is held at it, before the hold. On USB the host's
    /// SET_LINE_CODING completes only once the device has it; a pty simulator has no such wait (the kernel coalesces
    /// its termios notices), so it confirms each step here. Null on real hardware.
    /// </param>
    /// <exception cref="IOException">The port cannot be opened or configured at some step (the message names it).</exception>
    public static async Task<SerialPortStream> SelectModeAsync(string path, TrueRngProMode mode, TimeSpan? firstHold = null,
        TimeSpan? hold = null, CancellationToken cancellationToken = default, Func<int, CancellationToken, Task>? stepApplied = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a TrueRNGpro mode");
        }

        for (int step = 0; step < Sequence.Count; step++)
        {
            using (OpenStep(path, Sequence[step]))
            {
                await ConfirmAsync(stepApplied, Sequence[step], cancellationToken).ConfigureAwait(false);
                await Task.Delay(step == 0 ? firstHold ?? DefaultFirstHold : hold ?? DefaultHold, cancellationToken).ConfigureAwait(false);
            }
        }

        SerialPortStream port = SerialPortStream.Open(path, (int)mode, assertDtr: true);
        try
        {
            await ConfirmAsync(stepApplied, (int)mode, cancellationToken).ConfigureAwait(false);
            await Task.Delay(hold ?? DefaultHold, cancellationToken).ConfigureAwait(false);
            // Bytes sent before the mode took effect belong to the old mode.
            port.DiscardInput();
            return port;
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One knock step: the port opened at <paramref name="baud"/> through System.IO.Ports, which is all a step needs
    /// (a line-coding change; nothing is read). The stream after the knock is a <see cref="SerialPortStream"/>, whose
    /// remarks say why reading stays on termios. DTR is left as open(2) leaves it (raised on a real tty), as the vendor
    /// script's pyserial also has it; the firmware watches the line coding only.
    /// </summary>
    private static SerialPort OpenStep(string path, int baud)
    {
        var port = new SerialPort(path, baud, Parity.None, 8, StopBits.One) { Handshake = Handshake.None };
        try
        {
            port.Open();
            return port;
        }
        catch (UnauthorizedAccessException e)
        {
            port.Dispose();
            // System.IO.Ports reports every failed open (missing, not a tty, no permission) as "access denied" (docs/serial.md):
            // opening through SerialPortStream throws the exception that names the cause.
            SerialPortStream.Open(path, baud, assertDtr: false).Dispose();
            throw new IOException($"open {path} at {baud} baud for the TrueRNGpro knock: {e.Message}", e);
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    private static Task ConfirmAsync(Func<int, CancellationToken, Task>? stepApplied, int baud, CancellationToken cancellationToken) =>
        stepApplied?.Invoke(baud, cancellationToken) ?? Task.CompletedTask;
}
