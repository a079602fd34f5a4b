using QrngAppliance.Devices.Kernel;

namespace QrngAppliance.Devices.Tests.Kernel;

/// <summary>
/// A fact that runs only where a readable kernel hwrng exists; elsewhere it is reported as skipped with the
/// reason (xunit 2 has no dynamic skip, so the reason is decided at discovery).
/// </summary>
public sealed class HwRngFactAttribute : FactAttribute
{
    public HwRngFactAttribute()
    {
        Skip = Unavailability();
    }

    private static string? Unavailability()
    {
        if (!File.Exists(HwRngEntropySource.DefaultPath))
        {
            return $"{HwRngEntropySource.DefaultPath} is absent on this machine (no kernel hw_random driver)";
        }

        if (HwRngEntropySource.ReadCurrentRngName() is null)
        {
            return $"{HwRngEntropySource.DefaultPath} exists but no hw_random driver is selected (rng_current is none)";
        }

        try
        {
            using var probe = new FileStream(HwRngEntropySource.DefaultPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"{HwRngEntropySource.DefaultPath} is not readable by this user (root-only, mode 0600)";
        }
        catch (IOException e)
        {
            return $"{HwRngEntropySource.DefaultPath} cannot be opened: {e.Message}";
        }
    }
}
