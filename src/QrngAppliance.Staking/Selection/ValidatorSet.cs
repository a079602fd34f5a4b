using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace QrngAppliance.Staking.Selection;

/// <summary>
/// The candidates a selection draws from, in canonical order (ordinal by id), with a hash that a security proof
/// records so anyone holding the published set can redo the selection.
/// </summary>
public sealed class ValidatorSet
{
    private const string Domain = "qrng-validator-set-v1";

    public ValidatorSet(IEnumerable<WeightedValidator> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var sorted = members.OrderBy(m => m.Id, StringComparer.Ordinal).ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Weight == UInt128.Zero)
            {
                throw new ArgumentException($"validator {sorted[i].Id} has zero weight", nameof(members));
            }

            if (i > 0 && sorted[i].Id == sorted[i - 1].Id)
            {
                throw new ArgumentException($"validator {sorted[i].Id} is listed twice", nameof(members));
            }
        }

        Members = sorted;
        Hash = ComputeHash(sorted);
    }

    public IReadOnlyList<WeightedValidator> Members { get; }

    /// <summary>
    /// SHA-256 over <c>"qrng-validator-set-v1"</c>, the member count (u32 BE), then per member the UTF-8 id length
    /// (u16 BE), the id, and the weight (u128 BE).
    /// </summary>
    public byte[] Hash { get; }

    private static byte[] ComputeHash(WeightedValidator[] members)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(Domain));
        Span<byte> scratch = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)members.Length);
        hash.AppendData(scratch[..4]);
        foreach (var member in members)
        {
            var id = Encoding.UTF8.GetBytes(member.Id);
            BinaryPrimitives.WriteUInt16BigEndian(scratch, checked((ushort)id.Length));
            hash.AppendData(scratch[..2]);
            hash.AppendData(id);
            BinaryPrimitives.WriteUInt128BigEndian(scratch, member.Weight);
            hash.AppendData(scratch);
        }

        return hash.GetHashAndReset();
    }
}
