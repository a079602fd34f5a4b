using System.Net;
using System.Net.Sockets;
using System.Text;
using QrngAppliance.Mining.Stratum;

namespace QrngAppliance.Mining.Tests;

/// <summary>The Stratum client against a pool that writes its answers back to back, as real pools do.</summary>
public sealed class StratumClientTests
{
    [Fact]
    public async Task A_job_sent_right_behind_the_subscribe_answer_is_mined_with_the_subscribed_extranonce()
    {
        // The pool writes the subscribe answer and its first mining.notify in one segment: the reader dispatches the
        // notify before SubscribeAsync's continuation can run, so the client must take the extranonce on the reader.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var pool = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream);
            await reader.ReadLineAsync(); // mining.subscribe
            var answer = $"{{\"id\":1,\"result\":{StratumVectors.Compact(StratumVectors.AcceptedShare.GetProperty("subscribe_result"))},\"error\":null}}\n"
                + StratumVectors.Compact(StratumVectors.AcceptedShare.GetProperty("notify")) + "\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(answer));
            await reader.ReadLineAsync(); // the client's close
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var stratum = new StratumClient(client.GetStream(), leaveOpen: true);
        var seen = new TaskCompletionSource<(string Extranonce1, int Size)>(TaskCreationOptions.RunContinuationsAsynchronously);
        stratum.JobReceived += _ => seen.TrySetResult((stratum.Extranonce1, stratum.Extranonce2Size));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reading = stratum.RunAsync(stop.Token);

        await stratum.SubscribeAsync("test/1", stop.Token);
        var atJob = await seen.Task.WaitAsync(stop.Token);

        Assert.Equal(("60000000", 4), atJob);
        client.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => reading);
        await pool;
    }
}
