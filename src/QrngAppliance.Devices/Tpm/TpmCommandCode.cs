namespace QrngAppliance.Devices.Tpm;

/// <summary>TPM_CC values (TPM 2.0 Part 2, §6.5) for the commands this driver sends.</summary>
public enum TpmCommandCode : uint
{
    EvictControl = 0x0000_0120,
    CreatePrimary = 0x0000_0131,
    Startup = 0x0000_0144,
    Shutdown = 0x0000_0145,
    ReadPublic = 0x0000_0173,
    GetCapability = 0x0000_017A,
    GetRandom = 0x0000_017B,
    PcrRead = 0x0000_017E,
    PcrExtend = 0x0000_0182,
    Quote = 0x0000_0158,
    FlushContext = 0x0000_0165,
}
