namespace QrngAppliance.HwSim.Usb;

/// <summary>One control request as a simulated USB device received it (setup packet fields and data length).</summary>
public readonly record struct UsbControlRecord(byte RequestType, byte Request, ushort Value, ushort Index, int Length);
