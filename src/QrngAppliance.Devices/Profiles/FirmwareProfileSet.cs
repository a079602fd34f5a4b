namespace QrngAppliance.Devices.Profiles;

/// <summary>The result of loading a directory: every profile that validated, and every error from the ones that did not.</summary>
public sealed record FirmwareProfileSet(IReadOnlyList<FirmwareProfile> Profiles, IReadOnlyList<FirmwareProfileError> Errors)
{
    /// <summary>The profile whose USB vendor/product id match, or null.</summary>
    public FirmwareProfile? FindByUsb(ushort vendorId, ushort productId)
        => Profiles.FirstOrDefault(p => p.Usb is { } usb && usb.VendorId == vendorId && usb.ProductId == productId);

    /// <summary>The profile with this model id, or null.</summary>
    public FirmwareProfile? FindByModel(string model) => Profiles.FirstOrDefault(p => p.Model == model);
}
