using QrngAppliance.Mining.Kernels;

namespace QrngAppliance.Mining.Sha256;

/// <summary>SHA-256d nonce kernels: scalar, Vector256 (AVX2), Vector512 (AVX-512) and native SHA-NI.</summary>
internal sealed class Sha256dKernel(KernelIsa isa) : NonceKernel
{
    public override MiningAlgorithm Algorithm => MiningAlgorithm.Sha256d;

    public override KernelIsa Isa { get; } = isa;

    public override int Lanes => Isa switch
    {
        KernelIsa.Avx2 => 8,
        KernelIsa.Avx512 => 16,
        KernelIsa.ShaNi => 2,
        _ => 1,
    };

    public override NonceScanner Prepare(ReadOnlySpan<byte> header80) => new Scanner(new Sha256dJob(header80), Isa);

    public override void Hash(ReadOnlySpan<byte> header80, Span<byte> hash32) => Sha256d.Hash(header80, hash32);

    private sealed class Scanner(Sha256dJob job, KernelIsa isa) : NonceScanner
    {
        public override ReadOnlyMemory<byte> Header => job.Header;

        public override int Scan(uint start, int count, uint topWordLimit, Span<uint> candidates, out int found) => isa switch
        {
            KernelIsa.Avx2 => Sha256dKernels.ScanAvx2(job, start, count, topWordLimit, candidates, out found),
            KernelIsa.Avx512 => Sha256dKernels.ScanAvx512(job, start, count, topWordLimit, candidates, out found),
            KernelIsa.ShaNi => ShaNiNative.Scan(job, start, count, topWordLimit, candidates, out found),
            _ => Sha256dKernels.ScanScalar(job, start, count, topWordLimit, candidates, out found),
        };
    }
}
