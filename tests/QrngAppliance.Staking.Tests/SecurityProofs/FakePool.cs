using System.Buffers.Binary;
using System.Security.Cryptography;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.SecurityProofs;

namespace QrngAppliance.Staking.Tests.SecurityProofs;

/// <summary>
/// A hand-written stand-in for the Proofs pool and once-only ledger: an RFC 9162 Merkle tree over random leaves,
/// a consumer that binds leaves to request ids once, and a "pulse" carrying tree size and root, "signed" by
/// two fake signatures that the attestation verifier accepts unless forged.
/// </summary>
internal sealed class FakePool : IEntropyConsumer
{
    public const int BitsPerLeaf = 256;
    private static readonly byte[] s_pulseMagic = "test-pulse"u8.ToArray();

    private readonly byte[][] _leafHashes;
    private readonly Dictionary<(int Start, int Length), byte[]> _subtrees = [];
    private readonly Dictionary<string, EntropyConsumption> _byRequest = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _cursor;
    private long _seq;

    public FakePool(int leaves, TimeProvider time, int seed = 1)
    {
        var random = new Random(seed);
        _leafHashes = new byte[leaves][];
        for (var i = 0; i < leaves; i++)
        {
            var data = new byte[32];
            random.NextBytes(data);
            _leafHashes[i] = SHA256.HashData([0x00, .. data]);
        }

        _time = time;
        Root = Mth(0, leaves);
    }

    public byte[] Root { get; }

    public long TreeSize => _leafHashes.Length;

    public int ConsumeCalls { get; private set; }

    public int LeavesConsumed => _cursor;

    public static byte[] Forged { get; } = [0xBA, 0xD0];

    public Task<EntropyConsumption> ConsumeAsync(string requestId, long bits, CancellationToken cancellationToken = default)
    {
        ConsumeCalls++;
        if (_byRequest.TryGetValue(requestId, out var earlier))
        {
            return Task.FromResult(earlier);
        }

        var count = (int)((bits + BitsPerLeaf - 1) / BitsPerLeaf);
        if (_cursor + count > _leafHashes.Length)
        {
            throw new InvalidOperationException("fake pool exhausted");
        }

        var leaves = Enumerable.Range(_cursor, count).Select(i => new ConsumedLeaf(i, _leafHashes[i], Path(i, 0, _leafHashes.Length))).ToList();
        _cursor += count;
        var consumption = new EntropyConsumption(requestId, (long)count * BitsPerLeaf, leaves, TreeSize, Root, Pulse(++_seq), _time.GetUtcNow());
        _byRequest[requestId] = consumption;
        return Task.FromResult(consumption);
    }

    public bool HasConsumptionRecord(string requestId, IReadOnlyList<long> leaves) =>
        _byRequest.TryGetValue(requestId, out var c) && c.Leaves.Select(l => l.Index).SequenceEqual(leaves);

    public AttestationVerdict VerifyAttestation(HardwareAttestation attestation)
    {
        if (attestation.Signatures.Any(s => s.Signature.AsSpan().SequenceEqual(Forged)))
        {
            return AttestationVerdict.Invalid("ml-dsa-65 signature does not verify");
        }

        var pulse = attestation.Pulse;
        var at = s_pulseMagic.Length;
        return AttestationVerdict.Valid(_time.GetUtcNow(), BinaryPrimitives.ReadInt64BigEndian(pulse.AsSpan(at)), pulse[(at + 16)..(at + 48)]);
    }

    private HardwareAttestation Pulse(long seq)
    {
        var bytes = new byte[s_pulseMagic.Length + 16 + 32];
        s_pulseMagic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(s_pulseMagic.Length), TreeSize);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(s_pulseMagic.Length + 8), seq);
        Root.CopyTo(bytes, s_pulseMagic.Length + 16);
        return new HardwareAttestation("appliance-main", bytes,
            [new AttestationSignature("ed25519", "k1", [1]), new AttestationSignature("ml-dsa-65", "k2", [2])]);
    }

    /// <summary>RFC 9162 §2.1.3.2 inclusion proof verification.</summary>
    public static bool VerifyInclusion(ConsumedLeaf leaf, long treeSize, byte[] root)
    {
        if (leaf.Index >= treeSize)
        {
            return false;
        }

        long fn = leaf.Index, sn = treeSize - 1;
        var r = leaf.LeafHash;
        foreach (var p in leaf.AuditPath)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    private byte[] Mth(int start, int length)
    {
        if (length == 1)
        {
            return _leafHashes[start];
        }

        if (!_subtrees.TryGetValue((start, length), out var hash))
        {
            var k = Split(length);
            hash = Node(Mth(start, k), Mth(start + k, length - k));
            _subtrees[(start, length)] = hash;
        }

        return hash;
    }

    private List<byte[]> Path(int m, int start, int length)
    {
        if (length == 1)
        {
            return [];
        }

        var k = Split(length);
        if (m < k)
        {
            var path = Path(m, start, k);
            path.Add(Mth(start + k, length - k));
            return path;
        }

        var right = Path(m - k, start + k, length - k);
        right.Add(Mth(start, k));
        return right;
    }
}
