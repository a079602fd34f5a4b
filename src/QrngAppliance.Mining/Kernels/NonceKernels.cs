using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using QrngAppliance.Mining.Sha256;
using QrngAppliance.Mining.Sha3;

namespace QrngAppliance.Mining.Kernels;

/// <summary>Chooses kernels: run-time ISA checks happen here, once, with a scalar fallback.</summary>
public static class NonceKernels
{
    /// <summary>The kernels written for <paramref name="algorithm"/>, fastest first.</summary>
    public static IReadOnlyList<KernelIsa> Implemented(MiningAlgorithm algorithm) => algorithm switch
    {
        MiningAlgorithm.Sha256d => [KernelIsa.ShaNi, KernelIsa.Avx512, KernelIsa.Avx2, KernelIsa.Scalar],
        MiningAlgorithm.Sha3d => [KernelIsa.Avx2, KernelIsa.Scalar],
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Why <paramref name="isa"/> cannot run at full speed on this machine, or null when it can.</summary>
    public static string? WhyUnavailable(MiningAlgorithm algorithm, KernelIsa isa)
    {
        if (!Implemented(algorithm).Contains(isa))
        {
            return $"no {isa.ToString().ToLowerInvariant()} kernel for {algorithm.ToString().ToLowerInvariant()}";
        }

        return isa switch
        {
            KernelIsa.Scalar => null,
            KernelIsa.Avx2 => Avx2.IsSupported && Vector256.IsHardwareAccelerated ? null : "this CPU (or runtime) lacks AVX2",
            KernelIsa.Avx512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? null : "this CPU (or runtime) lacks AVX-512F",
            KernelIsa.ShaNi => ShaNiNative.UnavailableReason,
            _ => "unknown kernel",
        };
    }

    /// <summary>The fastest kernel that runs here (the SHA-NI library, then AVX-512, AVX2, scalar).</summary>
    public static NonceKernel Best(MiningAlgorithm algorithm) =>
        Create(algorithm, Implemented(algorithm).First(isa => WhyUnavailable(algorithm, isa) is null));

    /// <summary>
    /// A kernel of the given ISA. Managed SIMD kernels are correct on any CPU (emulated when unaccelerated, which
    /// the lane tests rely on); only SHA-NI needs its library and CPU feature.
    /// </summary>
    public static NonceKernel Create(MiningAlgorithm algorithm, KernelIsa isa)
    {
        if (!Implemented(algorithm).Contains(isa))
        {
            throw new NotSupportedException(WhyUnavailable(algorithm, isa));
        }

        if (isa == KernelIsa.ShaNi && !ShaNiNative.IsAvailable)
        {
            throw new NotSupportedException(ShaNiNative.UnavailableReason);
        }

        return algorithm == MiningAlgorithm.Sha256d ? new Sha256dKernel(isa) : new Sha3dKernel(isa);
    }
}
