using QrngAppliance.Mining.Kernels;

namespace QrngAppliance.Mining.Sha3;

/// <summary>SHA3-256d nonce kernels: scalar and 4-lane <c>Vector256&lt;ulong&gt;</c> Keccak.</summary>
internal sealed class Sha3dKernel(KernelIsa isa) : NonceKernel
{
    public override MiningAlgorithm Algorithm => MiningAlgorithm.Sha3d;

    public override KernelIsa Isa { get; } = isa;

    public override int Lanes => Isa == KernelIsa.Avx2 ? 4 : 1;

    public override NonceScanner Prepare(ReadOnlySpan<byte> header80)
    {
        if (header80.Length != 80)
        {
            throw new ArgumentException("a block header is exactly 80 bytes", nameof(header80));
        }

        return new Scanner(header80.ToArray(), Sha3dKernels.HeaderLanes(header80), Isa);
    }

    public override void Hash(ReadOnlySpan<byte> header80, Span<byte> hash32) => Sha3d.Hash(header80, hash32);

    private sealed class Scanner(byte[] header, ulong[] lanes, KernelIsa isa) : NonceScanner
    {
        public override ReadOnlyMemory<byte> Header => header;

        public override int Scan(uint start, int count, uint topWordLimit, Span<uint> candidates, out int found) =>
            isa == KernelIsa.Avx2
                ? Sha3dKernels.ScanAvx2(lanes, start, count, topWordLimit, candidates, out found)
                : Sha3dKernels.ScanScalar(lanes, start, count, topWordLimit, candidates, out found);
    }
}
