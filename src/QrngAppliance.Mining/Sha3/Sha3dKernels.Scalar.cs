using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace QrngAppliance.Mining.Sha3;

/// <summary>SHA3-256d nonce scans over an 80-byte header.</summary>
/// <remarks>
/// The header fits one 136-byte block: lanes 0..9 are the header (lane 9 = bits | nonce &lt;&lt; 32), lane 10
/// holds the 0x06 domain/pad byte and lane 16 the final 0x80. The 32-byte inner digest is re-hashed with
/// 0x06 in lane 4. The top hash word (bytes 28..31) is the high half of output lane 3.
/// </remarks>
internal static partial class Sha3dKernels
{
    internal const ulong PadFirst = 0x06;
    internal const ulong PadLast = 0x8000000000000000;

    internal static ulong[] HeaderLanes(ReadOnlySpan<byte> header80)
    {
        var lanes = new ulong[10];
        for (var i = 0; i < 10; i++)
        {
            lanes[i] = BinaryPrimitives.ReadUInt64LittleEndian(header80[(8 * i)..]);
        }

        // The nonce half of lane 9 is filled per nonce.
        lanes[9] &= 0xFFFFFFFF;
        return lanes;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ScanScalar(ulong[] header, uint start, int count, uint topWordLimit, Span<uint> candidates, out int found)
    {
        found = 0;
        Span<ulong> s = stackalloc ulong[25];
        for (var i = 0; i < count; i++)
        {
            var nonce = start + (uint)i;
            s.Clear();
            header.AsSpan(0, 9).CopyTo(s);
            s[9] = header[9] | ((ulong)nonce << 32);
            s[10] = PadFirst;
            s[16] = PadLast;
            Keccak.Permute(s);
            s[4..].Clear();
            s[4] = PadFirst;
            s[16] = PadLast;
            Keccak.Permute(s);
            if ((uint)(s[3] >> 32) <= topWordLimit)
            {
                candidates[found++] = nonce;
                if (found == candidates.Length)
                {
                    return i + 1;
                }
            }
        }

        return count;
    }
}
