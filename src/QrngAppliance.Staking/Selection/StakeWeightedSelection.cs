using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace QrngAppliance.Staking.Selection;

/// <summary>
/// Stake-weighted sampling without replacement, seeded from the signed pulse a transaction's entropy was consumed
/// under, so anyone holding the pulse, the tx id and the validator set gets the same validators (docs/staking.md,
/// "Validator selection").
/// </summary>
/// <remarks>
/// seed = SHA-256("qrng-stake-select-v1" ‖ SHA-256(pulse) ‖ u16 len ‖ UTF-8 tx id ‖ set hash); the byte stream is
/// SHA-256(seed ‖ u64 BE counter) for counter = 0, 1, …. Each draw takes the fewest whole bytes covering the
/// remaining total weight W, big-endian, masked to W−1's bit length, and rejects values ≥ W (no modulo bias);
/// the draw r picks the first remaining member, in id order, whose cumulative weight exceeds r; that member is
/// removed and the next draw is over the rest. Integer-only, so every platform agrees.
/// </remarks>
public static class StakeWeightedSelection
{
    private const string Domain = "qrng-stake-select-v1";

    public static IReadOnlyList<string> Select(ValidatorSet set, int count, ReadOnlySpan<byte> pulse, string txId)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(txId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > set.Members.Count)
        {
            throw new NotEnoughValidatorsException(count, set.Members.Count);
        }

        var stream = new DrawStream(Seed(set, pulse, txId));
        var remaining = set.Members.ToList();
        var total = remaining.Aggregate(BigInteger.Zero, (sum, m) => sum + m.Weight);
        var chosen = new List<string>(count);
        while (chosen.Count < count)
        {
            var r = stream.Below(total);
            var index = 0;
            var cumulative = (BigInteger)remaining[0].Weight;
            while (cumulative <= r)
            {
                cumulative += remaining[++index].Weight;
            }

            chosen.Add(remaining[index].Id);
            total -= remaining[index].Weight;
            remaining.RemoveAt(index);
        }

        return chosen;
    }

    internal static byte[] Seed(ValidatorSet set, ReadOnlySpan<byte> pulse, string txId)
    {
        var id = Encoding.UTF8.GetBytes(txId);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(Domain));
        hash.AppendData(SHA256.HashData(pulse));
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)id.Length));
        hash.AppendData(length);
        hash.AppendData(id);
        hash.AppendData(set.Hash);
        return hash.GetHashAndReset();
    }

    /// <summary>An unbounded byte stream SHA-256(seed ‖ counter) and unbiased integer draws from it.</summary>
    private sealed class DrawStream(byte[] seed)
    {
        private readonly byte[] _input = [.. seed, 0, 0, 0, 0, 0, 0, 0, 0];
        private readonly byte[] _block = new byte[32];
        private ulong _counter;
        private int _used = 32;

        public BigInteger Below(BigInteger bound)
        {
            var bits = (int)(bound - 1).GetBitLength();
            if (bits == 0)
            {
                return BigInteger.Zero;
            }

            var bytes = new byte[(bits + 7) / 8];
            var mask = (BigInteger.One << bits) - 1;
            while (true)
            {
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = Next();
                }

                var candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: true) & mask;
                if (candidate < bound)
                {
                    return candidate;
                }
            }
        }

        private byte Next()
        {
            if (_used == _block.Length)
            {
                BinaryPrimitives.WriteUInt64BigEndian(_input.AsSpan(_input.Length - 8), _counter++);
                SHA256.HashData(_input, _block);
                _used = 0;
            }

            return _block[_used++];
        }
    }
}
