using System.Collections.Frozen;

namespace QrngAppliance.Devices.Interop;

/// <summary>
/// Standard Linux baud rates and their termios B-codes. Values are glibc's bits/termios-baud.h
/// (octal there: B57600 = 0010001 = 0x1001 … B4000000 = 0010017 = 0x100f). Note B3000000 is 0x100d,
/// not 0x100c (that is B2500000) as DEVICES.md §3 lists it.
/// </summary>
internal static class BaudRates
{
    private static readonly FrozenDictionary<int, uint> s_codes = new Dictionary<int, uint>
    {
        [50] = 1, [75] = 2, [110] = 3, [134] = 4, [150] = 5, [200] = 6, [300] = 7, [600] = 8,
        [1200] = 9, [1800] = 10, [2400] = 11, [4800] = 12, [9600] = 13, [19200] = 14, [38400] = 15,
        [57600] = 0x1001, [115200] = 0x1002, [230400] = 0x1003, [460800] = 0x1004, [500000] = 0x1005,
        [576000] = 0x1006, [921600] = 0x1007, [1000000] = 0x1008, [1152000] = 0x1009, [1500000] = 0x100a,
        [2000000] = 0x100b, [2500000] = 0x100c, [3000000] = 0x100d, [3500000] = 0x100e, [4000000] = 0x100f,
    }.ToFrozenDictionary();

    public static IEnumerable<int> Supported => s_codes.Keys.Order();

    /// <summary>CBAUD|CBAUDEX in c_cflag: where the output speed code lives.</summary>
    public const uint CbaudMask = 0x100f;

    private static readonly FrozenDictionary<uint, int> s_rates = s_codes.ToFrozenDictionary(p => p.Value, p => p.Key);

    public static bool TryGetCode(int baud, out uint code) => s_codes.TryGetValue(baud, out code);

    /// <summary>The baud rate of a termios c_cflag (its CBAUD bits), e.g. as a pty master sees the slave's settings.</summary>
    public static bool TryGetBaud(uint controlFlags, out int baud) => s_rates.TryGetValue(controlFlags & CbaudMask, out baud);
}
