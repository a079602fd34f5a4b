namespace QrngAppliance.Devices.Tests.Discovery;

/// <summary>
/// A sysfs and /dev tree in a temp directory, laid out as the kernel lays it out: the USB device directory under
/// devices/…/usbN/1-2 with its attribute files, the interface 1-2:1.0 inside it, the tty under the interface with a
/// relative <c>device</c> link back to the interface, and class/tty and bus/usb/devices as relative symlinks.
/// </summary>
internal sealed class FakeSysfs : IDisposable
{
    private const string Controller = "devices/pci0000:00/0000:00:14.0/usb1";
    private readonly TempDirectory _root = new();

    public FakeSysfs()
    {
        Directory.CreateDirectory(Sys);
        Directory.CreateDirectory(Dev);
        Directory.CreateDirectory(Path.Combine(Sys, "class", "tty"));
        Directory.CreateDirectory(Path.Combine(Sys, "bus", "usb", "devices"));
    }

    public string Sys => Path.Combine(_root.Path, "sys");

    public string Dev => Path.Combine(_root.Path, "dev");

    /// <summary>A USB device at port <paramref name="port"/> (e.g. 1-2); with <paramref name="tty"/> a CDC-ACM interface and tty.</summary>
    public void AddUsb(string port, string vid, string pid, string product, string? serial, string? tty, bool createDevNode = true)
    {
        var device = Path.Combine(Sys, Controller, port);
        Directory.CreateDirectory(device);
        File.WriteAllText(Path.Combine(device, "idVendor"), vid + "\n");
        File.WriteAllText(Path.Combine(device, "idProduct"), pid + "\n");
        File.WriteAllText(Path.Combine(device, "product"), product + "\n");
        File.WriteAllText(Path.Combine(device, "busnum"), "1\n");
        File.WriteAllText(Path.Combine(device, "devnum"), "5\n");
        if (serial is not null)
        {
            File.WriteAllText(Path.Combine(device, "serial"), serial + "\n");
        }

        var iface = $"{port}:1.0";
        Directory.CreateDirectory(Path.Combine(device, iface));
        File.CreateSymbolicLink(Path.Combine(Sys, "bus", "usb", "devices", port), $"../../../{Controller}/{port}");
        File.CreateSymbolicLink(Path.Combine(Sys, "bus", "usb", "devices", iface), $"../../../{Controller}/{port}/{iface}");
        if (tty is null)
        {
            return;
        }

        var ttyDir = Path.Combine(device, iface, "tty", tty);
        Directory.CreateDirectory(ttyDir);
        File.WriteAllText(Path.Combine(ttyDir, "dev"), "166:0\n");
        File.CreateSymbolicLink(Path.Combine(ttyDir, "device"), $"../../../{iface}");
        File.CreateSymbolicLink(Path.Combine(Sys, "class", "tty", tty), $"../../{Controller}/{port}/{iface}/tty/{tty}");
        if (createDevNode)
        {
            File.WriteAllText(Path.Combine(Dev, tty), "");
        }
    }

    /// <summary>A legacy UART tty: its device is a platform device with no idVendor.</summary>
    public void AddPlatformTty(string tty)
    {
        var platform = Path.Combine(Sys, "devices", "platform", "serial8250");
        Directory.CreateDirectory(Path.Combine(platform, "tty", tty));
        File.CreateSymbolicLink(Path.Combine(platform, "tty", tty, "device"), "../../../serial8250");
        File.CreateSymbolicLink(Path.Combine(Sys, "class", "tty", tty), $"../../devices/platform/serial8250/tty/{tty}");
        File.WriteAllText(Path.Combine(Dev, tty), "");
    }

    public void AddTpmRm(string name)
    {
        Directory.CreateDirectory(Path.Combine(Sys, "devices", "platform", "MSFT0101:00", "tpmrm", name));
        Directory.CreateDirectory(Path.Combine(Sys, "class", "tpmrm"));
        File.CreateSymbolicLink(Path.Combine(Sys, "class", "tpmrm", name), $"../../devices/platform/MSFT0101:00/tpmrm/{name}");
        File.WriteAllText(Path.Combine(Dev, name), "");
    }

    public void SetHwRng(string current)
    {
        var dir = Path.Combine(Sys, "class", "misc", "hw_random");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "rng_current"), current + "\n");
        File.WriteAllText(Path.Combine(Dev, "hwrng"), "");
    }

    /// <summary>Points /dev/NAME at another path (e.g. a hwsim pty link), replacing a placeholder node.</summary>
    public void LinkDevNode(string name, string target)
    {
        var node = Path.Combine(Dev, name);
        File.Delete(node);
        File.CreateSymbolicLink(node, target);
    }

    /// <summary>Unplug: the USB device, its interface links and its tty disappear from sysfs and /dev.</summary>
    public void RemoveUsb(string port, string? tty)
    {
        File.Delete(Path.Combine(Sys, "bus", "usb", "devices", port));
        File.Delete(Path.Combine(Sys, "bus", "usb", "devices", $"{port}:1.0"));
        if (tty is not null)
        {
            File.Delete(Path.Combine(Sys, "class", "tty", tty));
            File.Delete(Path.Combine(Dev, tty));
        }

        Directory.Delete(Path.Combine(Sys, Controller, port), recursive: true);
    }

    public void Dispose() => _root.Dispose();
}
