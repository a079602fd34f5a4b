using System.Runtime.Intrinsics.X86;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>A fact that is reported as skipped, not passed, on a CPU without AVX2.</summary>
public sealed class Avx2FactAttribute : FactAttribute
{
    public Avx2FactAttribute()
    {
        if (!Avx2.IsSupported)
        {
            Skip = "needs AVX2";
        }
    }
}
