namespace QrngAppliance.Devices.Tests.Tpm;

/// <summary>
/// A duplex stream playing a TPM device node: records what is written and, after each write, serves the next
/// scripted response in reads of at most <c>chunk</c> bytes; a null response means "never answer".
/// After the script runs out, reads return EOF.
/// </summary>
internal sealed class ScriptedTpmStream(int chunk, params byte[]?[] responses) : Stream
{
    private readonly Queue<byte[]?> _responses = new(responses);
    private byte[]? _current;
    private int _offset;
    private bool _silent;

    public List<byte[]> Writes { get; } = [];

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Writes.Add(buffer.AsSpan(offset, count).ToArray());
        if (_responses.TryDequeue(out byte[]? next))
        {
            _current = next;
            _offset = 0;
            _silent = next is null;
        }
        else
        {
            _current = null;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_silent)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        await Task.Yield();
        if (_current is null || _offset == _current.Length)
        {
            return 0;
        }

        int n = Math.Min(Math.Min(chunk, buffer.Length), _current.Length - _offset);
        _current.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
