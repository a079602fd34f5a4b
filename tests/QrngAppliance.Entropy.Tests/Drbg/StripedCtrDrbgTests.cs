using System.Security.Cryptography;
using QrngAppliance.Entropy.Drbg;

namespace QrngAppliance.Entropy.Tests.Drbg;

public sealed class StripedCtrDrbgTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DrbgReseedPolicy s_policy = new(TimeSpan.FromMilliseconds(250), 1 << 16, 4);

    [Fact]
    public async Task A_stripe_reseeds_once_per_interval_not_once_per_request()
    {
        var blocks = new Blocks(100);
        var time = new FakeTimeProvider(s_start);
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, time, s_policy, stripes: 1, runInBackground: Inline);
        for (var i = 0; i < 50; i++)
        {
            await drbg.GenerateAsync(new byte[32]);
        }

        Assert.Equal(1, drbg.Reseeds);
        time.Advance(TimeSpan.FromMilliseconds(249));
        await drbg.GenerateAsync(new byte[32]);
        Assert.Equal(1, drbg.Reseeds);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await drbg.GenerateAsync(new byte[32]);
        Assert.Equal(2, drbg.Reseeds);
        Assert.Equal(98, blocks.Remaining);
    }

    [Fact]
    public async Task A_stripe_reseeds_once_its_reseed_bytes_are_drawn()
    {
        var blocks = new Blocks(100);
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, new FakeTimeProvider(s_start), s_policy, stripes: 1, runInBackground: Inline);
        await drbg.GenerateAsync(new byte[32768]);
        await drbg.GenerateAsync(new byte[32768]); // 64 KiB from this seed: exactly the reseed bytes
        Assert.Equal(1, drbg.Reseeds);
        await drbg.GenerateAsync(new byte[1]);
        Assert.Equal(2, drbg.Reseeds);
    }

    [Fact]
    public async Task Without_a_block_a_due_stripe_serves_up_to_the_hard_age_and_then_refuses()
    {
        var blocks = new Blocks(1);
        var time = new FakeTimeProvider(s_start);
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, time, s_policy, stripes: 1, runInBackground: Inline);
        await drbg.GenerateAsync(new byte[16]);
        time.Advance(TimeSpan.FromMilliseconds(1000)); // 4 × 250 ms: the hard bound itself is still served
        await drbg.GenerateAsync(new byte[16]);
        time.Advance(TimeSpan.FromTicks(1));
        await Assert.ThrowsAsync<EntropyUnavailableException>(async () => await drbg.GenerateAsync(new byte[16]));

        blocks.Add(1);
        await drbg.GenerateAsync(new byte[16]);
        Assert.Equal(2, drbg.Reseeds);
    }

    [Fact]
    public async Task Without_a_block_a_due_stripe_serves_up_to_the_hard_bytes_and_then_refuses()
    {
        var drbg = new StripedCtrDrbg(new Blocks(1).TakeAsync, new FakeTimeProvider(s_start), s_policy, stripes: 1, runInBackground: Inline);
        for (var i = 0; i < 4; i++)
        {
            await drbg.GenerateAsync(new byte[1 << 16]); // 4 × 64 KiB: the hard bound
        }

        await Assert.ThrowsAsync<EntropyUnavailableException>(async () => await drbg.GenerateAsync(new byte[1]));
        Assert.Equal(1, drbg.Reseeds);
    }

    [Fact]
    public async Task Stripes_are_seeded_lazily_each_from_its_own_block()
    {
        var blocks = new Blocks(10);
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, new FakeTimeProvider(s_start), s_policy, stripes: 4, runInBackground: Inline);
        Assert.Equal(4, drbg.StripeCount);
        var a = new byte[32];
        var b = new byte[32];
        await drbg.GenerateAsync(a, lane: 1);
        Assert.Equal(9, blocks.Remaining); // the other three stripes spent nothing
        await drbg.GenerateAsync(b, lane: 2);
        await drbg.GenerateAsync(new byte[32], lane: 5); // lane 5 is stripe 1 again: seeded, not due
        Assert.Equal(8, blocks.Remaining);
        Assert.NotEqual(a, b);
        Assert.Equal([ReseedNeed.Instantiate, ReseedNeed.Instantiate], blocks.Needs);
    }

    [Fact]
    public async Task Concurrent_requests_on_every_stripe_spend_one_block_per_stripe()
    {
        var blocks = new Blocks(1000);
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, new FakeTimeProvider(s_start), s_policy, stripes: 4, runInBackground: Inline);
        await Parallel.ForAsync(0, 4000, async (i, _) => await drbg.GenerateAsync(new byte[32], lane: i));
        Assert.Equal(4, drbg.Reseeds);
        Assert.Equal(996, blocks.Remaining);
    }

    [Fact]
    public async Task A_due_reseed_is_fetched_off_the_request_path_and_used_by_a_later_request()
    {
        var blocks = new Blocks(10);
        var time = new FakeTimeProvider(s_start);
        var queued = new List<Action>();
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, time, s_policy, stripes: 1, runInBackground: queued.Add);
        await drbg.GenerateAsync(new byte[16]);
        time.Advance(TimeSpan.FromMilliseconds(250));
        await drbg.GenerateAsync(new byte[16]); // due: the fetch is queued, this request is served from the current seed
        await drbg.GenerateAsync(new byte[16]); // one fetch at a time
        Assert.Equal((1, 1, 9), (drbg.Reseeds, queued.Count, blocks.Remaining));

        queued[0]();
        Assert.Equal(8, blocks.Remaining);
        await drbg.GenerateAsync(new byte[16]);
        Assert.Equal(2, drbg.Reseeds);
        Assert.Equal([ReseedNeed.Instantiate, ReseedNeed.Due], blocks.Needs);
    }

    [Fact]
    public async Task A_stripe_past_its_hard_bound_takes_its_block_on_the_request_path()
    {
        var blocks = new Blocks(10);
        var time = new FakeTimeProvider(s_start);
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, time, s_policy, stripes: 1, runInBackground: _ => { }); // fetches never run
        await drbg.GenerateAsync(new byte[16]);
        time.Advance(TimeSpan.FromMilliseconds(1001));
        await drbg.GenerateAsync(new byte[16]);
        Assert.Equal(2, drbg.Reseeds);
        Assert.Equal([ReseedNeed.Instantiate, ReseedNeed.Required], blocks.Needs);
    }

    [Fact]
    public async Task After_a_fetch_finds_no_block_the_next_waits_an_eighth_of_the_interval()
    {
        var blocks = new Blocks(1);
        var time = new FakeTimeProvider(s_start);
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, time, s_policy, stripes: 1, runInBackground: Inline);
        await drbg.GenerateAsync(new byte[16]);
        time.Advance(TimeSpan.FromMilliseconds(250));
        await drbg.GenerateAsync(new byte[16]); // fetch: none
        blocks.Add(1);
        time.Advance(TimeSpan.FromMilliseconds(31));
        await drbg.GenerateAsync(new byte[16]); // 31 ms < 250 / 8: not tried again
        Assert.Equal(1, drbg.Reseeds);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await drbg.GenerateAsync(new byte[16]);
        Assert.Equal(2, drbg.Reseeds);
    }

    [Fact]
    public async Task Requests_that_need_a_block_wait_without_a_thread_and_share_one_fetch()
    {
        // The supplier answers only when the test says so, like a ledger write queued behind others: the requests
        // must wait for it asynchronously (none holds the stripe's lock or a thread) and spend one leaf between them.
        var asked = new List<ReseedNeed>();
        var answer = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var drbg = new StripedCtrDrbg(
            need =>
            {
                lock (asked)
                {
                    asked.Add(need);
                }

                return new ValueTask<byte[]?>(answer.Task);
            },
            TimeProvider.System,
            s_policy,
            stripes: 1,
            runInBackground: _ => { });
        var waiting = Enumerable.Range(0, 8).Select(_ => drbg.GenerateAsync(new byte[32]).AsTask()).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        answer.SetResult(SHA256.HashData("block"u8));
        await Task.WhenAll(waiting);
        Assert.Equal([ReseedNeed.Instantiate], asked);
        Assert.Equal(1, drbg.Reseeds);
    }

    [Fact]
    public async Task A_request_waiting_for_a_block_runs_a_queued_background_fetch_itself()
    {
        // A due fetch was queued to a runner that never gets to it (a starved thread pool); once the stripe is past its
        // hard bound the request runs that same fetch instead of waiting on the runner.
        var blocks = new Blocks(10);
        var time = new FakeTimeProvider(s_start);
        var queued = new List<Action>();
        var drbg = new StripedCtrDrbg(blocks.TakeAsync, time, s_policy, stripes: 1, runInBackground: queued.Add);
        await drbg.GenerateAsync(new byte[16]);
        time.Advance(TimeSpan.FromMilliseconds(250));
        await drbg.GenerateAsync(new byte[16]); // due: queued
        time.Advance(TimeSpan.FromMilliseconds(751));
        await drbg.GenerateAsync(new byte[16]); // past the hard bound: joins the queued fetch and runs it
        Assert.Equal((2, 1, 8), (drbg.Reseeds, queued.Count, blocks.Remaining));
        Assert.Equal([ReseedNeed.Instantiate, ReseedNeed.Due], blocks.Needs);

        queued[0](); // the runner gets to it at last: already done, nothing more is spent
        Assert.Equal(8, blocks.Remaining);
    }

    [Theory]
    [InlineData(0, 1 << 20, 4)] // no interval
    [InlineData(250, (1 << 16) - 1, 4)] // less than one request
    [InlineData(250, 1L << 47, 4)] // 2^49 bytes, so up to 2^49 requests, from one seed: past SP 800-90A's 2^48
    [InlineData(250, 1 << 20, 0)]
    public void A_policy_outside_the_SP_800_90A_limits_is_refused(int intervalMs, long bytes, int hardFactor)
    {
        var policy = new DrbgReseedPolicy(TimeSpan.FromMilliseconds(intervalMs), bytes, hardFactor);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StripedCtrDrbg(new Blocks(1).TakeAsync, TimeProvider.System, policy));
    }

    [Fact]
    public void The_default_policy_is_250_ms_or_1_MiB_with_a_hard_bound_of_four_times_that()
    {
        var policy = DrbgReseedPolicy.Default;
        policy.Validate();
        Assert.Equal((TimeSpan.FromMilliseconds(250), 1L << 20), (policy.Interval, policy.Bytes));
        Assert.Equal((TimeSpan.FromSeconds(1), 4L << 20), (policy.HardInterval, policy.HardBytes));
    }

    private static void Inline(Action work) => work();

    /// <summary>Hands out distinct 32-byte blocks, counting what is left and recording why each was asked.</summary>
    private sealed class Blocks(int count)
    {
        private readonly Lock _lock = new();
        private int _next;

        public int Remaining { get; private set; } = count;

        public List<ReseedNeed> Needs { get; } = [];

        public void Add(int more) => Remaining += more;

        public ValueTask<byte[]?> TakeAsync(ReseedNeed need) => ValueTask.FromResult(Take(need));

        private byte[]? Take(ReseedNeed need)
        {
            lock (_lock)
            {
                if (Remaining == 0)
                {
                    return null;
                }

                Remaining--;
                Needs.Add(need);
                return SHA256.HashData(BitConverter.GetBytes(2000 + _next++));
            }
        }
    }
}
