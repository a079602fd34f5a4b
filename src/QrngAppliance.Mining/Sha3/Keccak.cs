namespace QrngAppliance.Mining.Sha3;

/// <summary>Keccak-f[1600] and SHA3-256 (FIPS 202), with the permutation in ISA-named partial files.</summary>
internal static partial class Keccak
{
    /// <summary>SHA3-256 rate in bytes (1600 − 2·256 bits).</summary>
    internal const int Rate = 136;

    internal static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    /// <summary>SHA3-256 of <paramref name="data"/> (any length) into 32 bytes.</summary>
    internal static void Sha3_256(ReadOnlySpan<byte> data, Span<byte> hash32)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        Span<byte> block = stackalloc byte[Rate];
        while (data.Length >= Rate)
        {
            Absorb(state, data[..Rate]);
            Permute(state);
            data = data[Rate..];
        }

        // SHA3 domain bits 01 then pad10*1 (FIPS 202 §6.1, §5.1): 0x06 ... 0x80.
        block.Clear();
        data.CopyTo(block);
        block[data.Length] ^= 0x06;
        block[Rate - 1] ^= 0x80;
        Absorb(state, block);
        Permute(state);
        for (var i = 0; i < 4; i++)
        {
            BitConverter.TryWriteBytes(hash32[(8 * i)..], state[i]);
        }
    }

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < Rate / 8; i++)
        {
            state[i] ^= BitConverter.ToUInt64(block[(8 * i)..]);
        }
    }
}
