using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Usb;

/// <summary>
/// The bulk-read loop shared by the USB drivers: short libusb timeouts so a cancellation is seen within one poll
/// period, the blocking transfer off the caller's thread, and unplug errors turned into <see cref="SourceDisconnectedException"/>.
/// </summary>
internal static class UsbEntropyReader
{
    /// <summary>One bulk transfer waits at most this long before the token is looked at again.</summary>
    public static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    public static async ValueTask<int> ReadAsync(IUsbTransport transport, byte endpoint, Memory<byte> buffer, string sourceId,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int read;
            try
            {
                read = await Task.Run(() => transport.BulkRead(endpoint, buffer.Span, PollTimeout), cancellationToken).ConfigureAwait(false);
            }
            catch (UsbTransportException e) when (e.IsDeviceGone)
            {
                throw new SourceDisconnectedException($"{sourceId}: {e.Message}", e);
            }
            catch (ObjectDisposedException e)
            {
                throw new SourceDisconnectedException($"{sourceId}: the USB transport was closed", e);
            }

            if (read > 0)
            {
                return read;
            }
        }
    }


    /// <summary>Releases interface 0 (an unplugged device has nothing left to release) and closes the transport unless the caller keeps it.</summary>
    public static void Close(IUsbTransport transport, bool leaveOpen)
    {
        try
        {
            transport.ReleaseInterface(0);
        }
        catch (UsbTransportException)
        {
            // Unplugged already: nothing to release.
        }

        if (!leaveOpen)
        {
            transport.Dispose();
        }
    }
}
