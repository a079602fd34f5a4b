using QrngAppliance.Mining.Kernels;

namespace QrngAppliance.Mining.Tests;

/// <summary>A fact that is reported as skipped, with the reason, when the SHA-NI library or CPU feature is absent
/// (xunit 2 has no dynamic skip, so the reason is decided when the attribute is built).</summary>
public sealed class ShaNiFactAttribute : FactAttribute
{
    public ShaNiFactAttribute()
    {
        if (NonceKernels.WhyUnavailable(MiningAlgorithm.Sha256d, KernelIsa.ShaNi) is { } reason)
        {
            Skip = $"SHA-NI kernel unavailable: {reason}";
        }
    }
}
