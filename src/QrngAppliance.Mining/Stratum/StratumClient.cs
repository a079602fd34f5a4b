using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace QrngAppliance.Mining.Stratum;

/// <summary>
/// One Stratum v1 session over a transport: newline-delimited JSON-RPC. <see cref="RunAsync"/> reads lines and
/// dispatches responses and the pool's <c>mining.notify</c> / <c>mining.set_difficulty</c>; requests wait for
/// their response by id. Request ids follow cpuminer: 1 subscribe, 2 authorize, submits from 4.
/// </summary>
public sealed class StratumClient : IAsyncDisposable
{
    private const long SubscribeId = 1;

    private readonly Stream _transport;
    private readonly bool _leaveOpen;
    private readonly StreamReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private long _nextSubmitId = 3;

    public StratumClient(Stream transport, bool leaveOpen = false)
    {
        _transport = transport;
        _leaveOpen = leaveOpen;
        _reader = new StreamReader(transport, new UTF8Encoding(false), false, 4096, leaveOpen: true);
    }

    /// <summary>Raised on the reader for every <c>mining.notify</c>.</summary>
    public event Action<StratumJob>? JobReceived;

    /// <summary>Raised on the reader for every <c>mining.set_difficulty</c>.</summary>
    public event Action<double>? DifficultyChanged;

    /// <summary>Raised on the reader for every valid <c>mining.set_extranonce</c>, after
    /// <see cref="Extranonce1"/> and <see cref="Extranonce2Size"/> took the new values.</summary>
    public event Action? ExtranonceChanged;

    public string Extranonce1 { get; private set; } = string.Empty;

    public int Extranonce2Size { get; private set; }

    /// <summary>Reads until the pool closes the connection (then throws <see cref="IOException"/>) or cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new IOException("the pool closed the connection");
                if (line.Length > 0)
                {
                    Dispatch(line);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(e);
            }

            throw;
        }
    }

    /// <summary><c>mining.subscribe</c>; keeps extranonce1 and the extranonce2 size from the result.</summary>
    public async Task SubscribeAsync(string userAgent, CancellationToken cancellationToken)
    {
        JsonElement result;
        try
        {
            result = await RequestAsync(SubscribeId, "mining.subscribe", [userAgent], cancellationToken).ConfigureAwait(false);
        }
        catch (StratumRequestException e)
        {
            throw new StratumException($"mining.subscribe refused: {e.Code} {e.Message}");
        }

        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() < 3)
        {
            throw new StratumException($"mining.subscribe result is not [subscriptions, extranonce1, extranonce2_size]: {result.GetRawText()}");
        }

        // Dispatch has applied them already; parsing again here turns a bad result into the caller's error.
        (Extranonce1, Extranonce2Size) = ParseExtranonce(result[1], result[2]);
    }

    /// <summary>
    /// <c>mining.extranonce.subscribe</c> (id 3), sent without waiting: pools that do not know it may answer with
    /// an error or not at all, and either way the session goes on; pools that do may later send set_extranonce.
    /// </summary>
    public Task SubscribeExtranonceAsync(CancellationToken cancellationToken) =>
        WriteLineAsync("{\"id\":3,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}", cancellationToken);

    /// <summary><c>mining.authorize</c>; true when the pool accepted the worker.</summary>
    public async Task<bool> AuthorizeAsync(string user, string password, CancellationToken cancellationToken)
    {
        try
        {
            var result = await RequestAsync(2, "mining.authorize", [user, password], cancellationToken).ConfigureAwait(false);
            return result.ValueKind == JsonValueKind.True;
        }
        catch (StratumRequestException)
        {
            return false;
        }
    }

    /// <summary><c>mining.submit</c>; the result keeps the pool's error code for rejected shares.</summary>
    public async Task<SubmitResult> SubmitAsync(string worker, StratumShare share, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextSubmitId);
        try
        {
            var result = await SendAsync(id, share.ToSubmitJson(id, worker), cancellationToken).ConfigureAwait(false);
            return result.ValueKind == JsonValueKind.True ? SubmitResult.Ok : new SubmitResult(false, 0, "pool answered false");
        }
        catch (StratumRequestException e)
        {
            return new SubmitResult(false, e.Code, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _writeLock.Dispose();
        if (!_leaveOpen)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<JsonElement> RequestAsync(long id, string method, string[] parameters, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters,
        });
        return SendAsync(id, line, cancellationToken);
    }

    private async Task<JsonElement> SendAsync(long id, string line, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = pending;
        try
        {
            await WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
            return await pending.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>One newline-terminated JSON line, written whole: the lock keeps concurrent submits from interleaving.</summary>
    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _transport.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Dispatch(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String)
        {
            var p = root.TryGetProperty("params", out var ps) ? ps : default;
            switch (method.GetString())
            {
                case "mining.notify":
                    JobReceived?.Invoke(StratumJob.FromNotifyParams(p));
                    break;
                case "mining.set_difficulty":
                    DifficultyChanged?.Invoke(p[0].GetDouble());
                    break;
                case "mining.set_extranonce" when p.ValueKind == JsonValueKind.Array && p.GetArrayLength() >= 2:
                    (Extranonce1, Extranonce2Size) = ParseExtranonce(p[0], p[1]);
                    ExtranonceChanged?.Invoke();
                    break;
                default:
                    // client.reconnect, client.show_message: not used by this miner.
                    break;
            }

            return;
        }

        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number
            || !_pending.TryGetValue(idElement.GetInt64(), out var pending))
        {
            return;
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            // Stratum errors are [code, "message", traceback]; some pools send an object or a string.
            var code = error.ValueKind == JsonValueKind.Array && error.GetArrayLength() > 0 && error[0].ValueKind == JsonValueKind.Number
                ? error[0].GetInt32()
                : 20;
            var message = error.ValueKind == JsonValueKind.Array && error.GetArrayLength() > 1
                ? error[1].ToString()
                : error.ToString();
            pending.TrySetException(new StratumRequestException(code, message));
            return;
        }

        var answer = root.TryGetProperty("result", out var result) ? result.Clone() : default;
        if (idElement.GetInt64() == SubscribeId)
        {
            ApplySubscribeResult(answer);
        }

        pending.TrySetResult(answer);
    }

    /// <summary>
    /// Takes extranonce1 and the extranonce2 size on the reader's thread, before the next line is dispatched: pools
    /// send mining.notify right behind the subscribe answer, and a job dispatched before SubscribeAsync's continuation
    /// ran would be mined with the old (empty) extranonce, every share rejected "invalid extranonce2".
    /// </summary>
    private void ApplySubscribeResult(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() < 3)
        {
            return;
        }

        try
        {
            (Extranonce1, Extranonce2Size) = ParseExtranonce(result[1], result[2]);
        }
        catch (StratumException)
        {
            // SubscribeAsync parses the same result and reports it.
        }
    }

    private static (string Extranonce1, int Extranonce2Size) ParseExtranonce(JsonElement extranonce1, JsonElement extranonce2Size)
    {
        var en1 = extranonce1.ValueKind == JsonValueKind.String ? extranonce1.GetString()! : string.Empty;
        if (en1.Length % 2 != 0 || !en1.All(char.IsAsciiHexDigit))
        {
            throw new StratumException($"extranonce1 is not hex: '{en1}'");
        }

        var size = extranonce2Size.ValueKind == JsonValueKind.Number && extranonce2Size.TryGetInt32(out var n) ? n : 0;
        return size is < 1 or > 8
            ? throw new StratumException($"extranonce2_size {extranonce2Size.GetRawText()} is outside 1..8")
            : (en1.ToLowerInvariant(), size);
    }

    private sealed class StratumRequestException(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }

    internal static string Extranonce2Hex(ulong counter, int size)
    {
        // Big-endian hex of the counter in exactly size bytes: 0x0602 with size 2 is "0602".
        var hex = counter.ToString("x16", CultureInfo.InvariantCulture);
        return hex[(16 - (2 * size))..];
    }
}
