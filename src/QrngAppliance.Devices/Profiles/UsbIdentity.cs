namespace QrngAppliance.Devices.Profiles;

/// <summary>USB vendor/product id and product string, as sysfs shows them (idVendor, idProduct, product).</summary>
public sealed record UsbIdentity(ushort VendorId, ushort ProductId, string Product)
{
    /// <summary><c>vvvv:pppp</c> in lower-case hex, as lsusb prints it.</summary>
    public override string ToString() => $"{VendorId:x4}:{ProductId:x4} \"{Product}\"";
}
