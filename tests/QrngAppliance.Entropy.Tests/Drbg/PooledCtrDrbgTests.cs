using System.Security.Cryptography;
using QrngAppliance.Entropy.Drbg;

namespace QrngAppliance.Entropy.Tests.Drbg;

public sealed class PooledCtrDrbgTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Never_seeded_drbg_refuses()
    {
        var drbg = new PooledCtrDrbg(() => null, new FakeTimeProvider(s_start));
        Assert.Throws<EntropyUnavailableException>(() => drbg.Generate(new byte[16]));
        Assert.Equal(0, drbg.Reseeds);
    }

    [Fact]
    public void Seeded_drbg_serves_and_keeps_serving_from_the_seed_while_it_is_fresh()
    {
        var blocks = new BlockSupply(1);
        var time = new FakeTimeProvider(s_start);
        var drbg = new PooledCtrDrbg(blocks.Take, time);
        var first = new byte[64];
        drbg.Generate(first);
        Assert.Equal(1, drbg.Reseeds);
        Assert.Contains(first, b => b != 0);

        time.Advance(TimeSpan.FromSeconds(59));
        var second = new byte[64];
        drbg.Generate(second);
        Assert.NotEqual(first, second);
        Assert.Equal(1, drbg.Reseeds);
    }

    [Fact]
    public void Seed_older_than_max_age_is_refused_until_a_fresh_block_arrives()
    {
        var blocks = new BlockSupply(1);
        var time = new FakeTimeProvider(s_start);
        var drbg = new PooledCtrDrbg(blocks.Take, time) { MaxSeedAge = TimeSpan.FromSeconds(10) };
        drbg.Generate(new byte[8]);

        time.Advance(TimeSpan.FromSeconds(10));
        drbg.Generate(new byte[8]); // exactly at the limit is still fresh
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Throws<EntropyUnavailableException>(() => drbg.Generate(new byte[8]));

        blocks.Add(1);
        drbg.Generate(new byte[8]);
        Assert.Equal(2, drbg.Reseeds);
    }

    [Fact]
    public void Too_many_bytes_from_one_seed_are_refused()
    {
        var blocks = new BlockSupply(1);
        var drbg = new PooledCtrDrbg(blocks.Take, new FakeTimeProvider(s_start)) { MaxBytesPerSeed = 100 };
        drbg.Generate(new byte[60]);
        drbg.Generate(new byte[40]); // 100 in all: allowed
        Assert.Throws<EntropyUnavailableException>(() => drbg.Generate(new byte[1]));

        blocks.Add(1);
        drbg.Generate(new byte[100]);
        Assert.Throws<EntropyUnavailableException>(() => drbg.Generate(new byte[1]));
    }

    [Fact]
    public void Every_request_with_a_fresh_block_reseeds_and_consumes_exactly_one_block()
    {
        var blocks = new BlockSupply(5);
        var drbg = new PooledCtrDrbg(blocks.Take, new FakeTimeProvider(s_start)) { MaxBytesPerSeed = 10 };
        for (var i = 1; i <= 5; i++)
        {
            drbg.Generate(new byte[10]); // would be refused without the reseed
            Assert.Equal(i, drbg.Reseeds);
            Assert.Equal(5 - i, blocks.Remaining);
        }
    }

    [Fact]
    public void Output_is_determined_by_the_blocks_and_depends_on_each_of_them()
    {
        var a = Run([Block(1), Block(2)]);
        Assert.Equal(a, Run([Block(1), Block(2)]));
        Assert.NotEqual(a, Run([Block(1), Block(3)]));
        Assert.NotEqual(a.AsSpan(0, 32).ToArray(), Run([Block(4), Block(2)]).AsSpan(0, 32).ToArray());

        static byte[] Run(byte[][] blocks)
        {
            var queue = new Queue<byte[]>(blocks);
            var drbg = new PooledCtrDrbg(() => queue.TryDequeue(out var b) ? b : null, new FakeTimeProvider(s_start));
            var output = new byte[64];
            drbg.Generate(output.AsSpan(0, 32));
            drbg.Generate(output.AsSpan(32));
            return output;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32768)]
    [InlineData(32769)]
    [InlineData(PooledCtrDrbg.MaxRequestBytes)]
    public void Requests_up_to_the_maximum_are_served(int length)
    {
        var drbg = new PooledCtrDrbg(new BlockSupply(1).Take, new FakeTimeProvider(s_start));
        var output = new byte[length];
        drbg.Generate(output);
        // 64 KiB of DRBG output with no zero run of 32 bytes: i.e. the whole buffer was written.
        Assert.True(length < 64 || !ContainsZeroRun(output, 32));
        Assert.Contains(output[^Math.Min(length, 16)..], b => b != 0);
    }

    [Fact]
    public void Request_of_65537_bytes_is_rejected_without_consuming_a_block()
    {
        var blocks = new BlockSupply(1);
        var drbg = new PooledCtrDrbg(blocks.Take, new FakeTimeProvider(s_start));
        Assert.Equal(65536, PooledCtrDrbg.MaxRequestBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => drbg.Generate(new byte[65537]));
        Assert.Equal(1, blocks.Remaining);
    }

    private static bool ContainsZeroRun(byte[] data, int run)
    {
        var count = 0;
        foreach (var b in data)
        {
            count = b == 0 ? count + 1 : 0;
            if (count >= run)
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Block(int i) => SHA256.HashData(BitConverter.GetBytes(i));

    /// <summary>Hands out distinct 32-byte blocks, counting what is left.</summary>
    private sealed class BlockSupply(int count)
    {
        private int _next;

        public int Remaining { get; private set; } = count;

        public void Add(int more) => Remaining += more;

        public byte[]? Take()
        {
            if (Remaining == 0)
            {
                return null;
            }

            Remaining--;
            return Block(1000 + _next++);
        }
    }
}
