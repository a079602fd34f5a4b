using System.Text.RegularExpressions;
using QrngAppliance.Configuration;
using QrngAppliance.IntegrationTests.Support;

namespace QrngAppliance.IntegrationTests.Systemd;

/// <summary>
/// The shipped unit works as shipped: docs/operations.md's install steps name only files the repo has, the unit's
/// <c>--config</c> is one of them and loads, every group the unit and the udev rules use exists after the shipped
/// sysusers file, <c>/dev/hwrng</c> is reachable, and the kernel-sink drop-in grants exactly CAP_SYS_ADMIN.
/// </summary>
public sealed partial class ShippedFilesTests
{
    /// <summary>Groups Debian's base system creates (base-passwd); any other group must come from our sysusers file.</summary>
    private static readonly string[] s_debianBaseGroups = ["dialout", "plugdev"];

    private static string Shipped(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    private static IReadOnlyList<(string Source, string Destination)> InstallSteps()
    {
        var text = File.ReadAllText(Shipped("docs", "operations.md"));
        var section = text[text.IndexOf("## Install under systemd", StringComparison.Ordinal)..];
        return [.. InstallLine().Matches(section).Select(m => (m.Groups["src"].Value, m.Groups["dst"].Value))];
    }

    private static string UnitValue(string key) =>
        Assert.Single(File.ReadAllLines(Shipped("systemd", "qrng-appliance.service")), l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    [Fact]
    public void Every_file_the_install_steps_copy_from_the_repo_exists()
    {
        var steps = InstallSteps();

        Assert.True(steps.Count >= 5, $"install steps not found: {steps.Count}");
        Assert.All(steps, step => Assert.True(File.Exists(Shipped(step.Source.Split('/'))), $"the install steps copy {step.Source}, which the repo does not have"));
    }

    [Fact]
    public void The_units_config_file_is_installed_by_the_steps_and_loads_and_validates()
    {
        var config = ConfigPath().Match(UnitValue("ExecStart"));
        Assert.True(config.Success, "ExecStart has no --config");
        var installed = Assert.Single(InstallSteps(), s => s.Destination == config.Groups[1].Value);

        var options = ApplianceConfiguration.Load(Shipped(installed.Source.Split('/')));
        ApplianceOptionsValidator.Validate(options);

        Assert.Equal("/var/lib/qrng-appliance", options.DataDir);
        Assert.Equal("http://127.0.0.1:8080", options.Urls);
        Assert.False(options.KernelSink);
    }

    [RequiresToolFact("systemd-sysusers", "systemd")]
    public async Task Every_group_of_the_unit_and_the_udev_rules_exists_after_the_shipped_sysusers_file()
    {
        using var root = new Devices.Tests.TempDirectory();
        Directory.CreateDirectory(Path.Combine(root.Path, "etc"));
        var (exit, stdout, stderr) = await ExternalTool.RunAsync(ExternalTool.Require("systemd-sysusers", "systemd"),
            [$"--root={root.Path}", Shipped("systemd", "qrng-appliance.sysusers.conf")]);
        Assert.True(exit == 0, $"systemd-sysusers rc={exit}\n{stdout}\n{stderr}");
        var created = File.ReadAllLines(Path.Combine(root.Path, "etc", "group")).Select(l => l.Split(':')[0]).ToHashSet();

        var unitGroups = UnitValue("SupplementaryGroups").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ruleGroups = UdevGroup().Matches(File.ReadAllText(Shipped("systemd", "70-qrng-appliance.rules"))).Select(m => m.Groups[1].Value).Distinct();

        Assert.All(unitGroups, g => Assert.True(created.Contains(g) || s_debianBaseGroups.Contains(g), $"group {g} is neither created by the sysusers file nor a Debian base group"));
        Assert.All(ruleGroups, g => Assert.Contains(g, unitGroups));
    }

    [Fact]
    public void The_unit_and_the_udev_rules_give_the_daemon_read_access_to_dev_hwrng()
    {
        var unit = File.ReadAllLines(Shipped("systemd", "qrng-appliance.service"));
        var rule = Assert.Single(File.ReadAllLines(Shipped("systemd", "70-qrng-appliance.rules")), l => l.StartsWith("KERNEL==\"hwrng\"", StringComparison.Ordinal));

        Assert.Contains(unit, l => l is "DeviceAllow=/dev/hwrng r" or "DeviceAllow=/dev/hwrng rw");
        var group = UdevGroup().Match(rule).Groups[1].Value;
        Assert.Contains(group, UnitValue("SupplementaryGroups").Split(' '));
        Assert.Contains("MODE=\"0660\"", rule, StringComparison.Ordinal);
    }

    [RequiresToolFact("systemd-analyze", "systemd")]
    public async Task The_kernel_sink_drop_in_verifies_and_grants_cap_sys_admin_and_nothing_else()
    {
        var analyze = ExternalTool.Require("systemd-analyze", "systemd");
        using var dir = new Devices.Tests.TempDirectory();
        var unit = UnitWithDropIn(dir.Path, "kernel-sink.conf");

        var verify = await ExternalTool.RunAsync(analyze, ["verify", "--man=no", unit]);
        var security = await ExternalTool.RunAsync(analyze, ["security", "--offline=yes", "--no-pager", unit]);

        Assert.True(verify.ExitCode == 0 && verify.Stderr.Length == 0, $"verify rc={verify.ExitCode}\n{verify.Stderr}");
        var granted = security.Stdout.Split('\n').Where(l => l.StartsWith('✗') && l.Contains("CapabilityBoundingSet=", StringComparison.Ordinal)).ToList();
        Assert.Equal("CapabilityBoundingSet=~CAP_SYS_ADMIN", Assert.Single(granted).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Contains("QRNG_Appliance__KernelSink=true", File.ReadAllText(Shipped("systemd", "kernel-sink.conf")), StringComparison.Ordinal);
    }

    /// <summary>
    /// The shipped unit in <paramref name="dir"/> with one shipped drop-in beside it, as systemd would load them;
    /// ExecStart points at /bin/true so that verify checks the unit, not whether qrng is installed.
    /// </summary>
    private static string UnitWithDropIn(string dir, string dropIn)
    {
        var unit = Path.Combine(dir, "qrng-appliance.service");
        File.WriteAllLines(unit, File.ReadAllLines(Shipped("systemd", "qrng-appliance.service"))
            .Select(l => l.StartsWith("ExecStart=", StringComparison.Ordinal) ? "ExecStart=/bin/true" : l));
        var dropIns = Directory.CreateDirectory(unit + ".d").FullName;
        File.Copy(Shipped("systemd", dropIn), Path.Combine(dropIns, dropIn));
        return unit;
    }

    /// <summary><c>install -D -m MODE SOURCE DESTINATION</c> where SOURCE is a repo path (qrng itself is published, not copied).</summary>
    [GeneratedRegex(@"^install -D -m \d{4} (?<src>systemd/\S+|docs/\S+)\s+(?<dst>/\S+)", RegexOptions.Multiline)]
    private static partial Regex InstallLine();

    [GeneratedRegex(@"--config (\S+)")]
    private static partial Regex ConfigPath();

    [GeneratedRegex("GROUP=\"([^\"]+)\"")]
    private static partial Regex UdevGroup();
}
