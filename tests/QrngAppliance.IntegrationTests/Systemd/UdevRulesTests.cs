using QrngAppliance.IntegrationTests.Support;

namespace QrngAppliance.IntegrationTests.Systemd;

/// <summary>
/// Parses <c>systemd/70-qrng-appliance.rules</c> with udev itself. systemd 252 has no <c>udevadm verify</c>, but
/// <c>udevadm test</c> (a dry run) reads every file in /etc/udev/rules.d and reports syntax errors prefixed with the
/// file name (OPERATIONS §4 "Checking rules"), so the test drops uniquely named copies there and removes them.
/// </summary>
public class UdevRulesTests
{
    [RequiresToolFact("udevadm", "udev", RequiresRoot = true)]
    public async Task Udev_parses_our_rules_without_errors_and_flags_a_broken_control()
    {
        var udevadm = ExternalTool.Require("udevadm", "udev");
        var device = new[] { "/sys/class/tty/ttyS0", "/sys/class/tty/console", "/sys/class/tty/tty" }.First(Directory.Exists);
        var id = Guid.NewGuid().ToString("N");
        var ours = $"/etc/udev/rules.d/70-qrng-appliance-test-{id}.rules";
        var broken = $"/etc/udev/rules.d/71-qrng-broken-test-{id}.rules";
        try
        {
            // The install steps create our groups before udev reads the rules (docs/operations.md); so does this test.
            var sysusers = await ExternalTool.RunAsync(ExternalTool.Require("systemd-sysusers", "systemd"), [Path.Combine(AppContext.BaseDirectory, "systemd", "qrng-appliance.sysusers.conf")]);
            Assert.True(sysusers.ExitCode == 0, sysusers.Stderr);
            Directory.CreateDirectory("/etc/udev/rules.d");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "systemd", "70-qrng-appliance.rules"), ours);
            // The negative control: an assignment operator on a match key, which udev rejects.
            await File.WriteAllTextAsync(broken, "SUBSYSTEM==\"tty\", ATTRS{idVendor}=\"04d8\", GROUP=\"dialout\"\n");

            var (_, stdout, stderr) = await ExternalTool.RunAsync(udevadm, ["test", device]);
            var output = stdout + stderr;

            Assert.Contains($"Reading rules file: {ours}", output, StringComparison.Ordinal);
            Assert.Contains($"{broken}:1 Invalid operator for ATTRS", output, StringComparison.Ordinal);
            Assert.DoesNotContain(ours + ":", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(ours);
            File.Delete(broken);
        }
    }
}
