namespace QrngAppliance.Devices.Tests.Kernel;

/// <summary>A fact that needs CAP_SYS_ADMIN in the test process (root); skipped with the reason elsewhere.</summary>
public sealed class CapSysAdminFactAttribute : FactAttribute
{
    public CapSysAdminFactAttribute()
    {
        if (!ThreadCapabilities.HasEffective(ThreadCapabilities.CapSysAdmin))
        {
            Skip = "needs CAP_SYS_ADMIN (run the tests as root) to exercise the kernel sink's success path";
        }
    }
}
