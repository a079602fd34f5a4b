namespace QrngAppliance.IntegrationTests.Support;

/// <summary>
/// A fact that is skipped, with the reason shown, when an optional external tool is absent (xunit 2 has no
/// runtime skip). Only for tools the test script does not guarantee; required tools use <see cref="ExternalTool.Require"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool, string package)
    {
        if (ExternalTool.Find(tool) is null)
        {
            Skip = $"{tool} is not installed (Debian package {package})";
        }
    }

    /// <summary>Also skip unless running as root (for tools that read system rule directories).</summary>
    public bool RequiresRoot
    {
        get => Skip is not null;
        set
        {
            if (value && Skip is null && !Environment.IsPrivilegedProcess)
            {
                Skip = "needs root";
            }
        }
    }
}
