using System.Globalization;

namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// TPM_RC values and their spec names (TPM 2.0 Part 2, §6.6), so an error reads
/// <c>TPM_RC_FAILURE (0x101)</c> instead of a bare number.
/// </summary>
public static class TpmResponseCode
{
    public const uint Success = 0x000;

    /// <summary>TPM_RC_BAD_TAG: the TPM answered with a TPM 1.2 style code (e.g. a 1.2 TPM, or a bad tag).</summary>
    public const uint BadTag = 0x01E;

    /// <summary>TPM_RC_INITIALIZE: no <c>TPM2_Startup</c> yet (or a second Startup).</summary>
    public const uint Initialize = 0x100;

    /// <summary>TPM_RC_FAILURE: the TPM is in failure mode (swtpm: not CMD_INIT'ed yet).</summary>
    public const uint Failure = 0x101;

    public const uint CommandSize = 0x142;
    public const uint CommandCode = 0x143;

    /// <summary>TPM_RC_YIELDED (warning): the command was suspended; send it again.</summary>
    public const uint Yielded = 0x908;

    /// <summary>TPM_RC_TESTING (warning): self-test is running; send it again later.</summary>
    public const uint Testing = 0x90A;

    /// <summary>TPM_RC_RETRY (warning): the TPM was busy; send it again.</summary>
    public const uint Retry = 0x922;

    private const uint Ver1 = 0x100;
    private const uint Fmt1 = 0x080;
    private const uint Warn = 0x900;

    private static readonly Dictionary<uint, string> s_ver1 = new()
    {
        [0x000] = "INITIALIZE", [0x001] = "FAILURE", [0x003] = "SEQUENCE", [0x00B] = "PRIVATE",
        [0x019] = "HMAC", [0x020] = "DISABLED", [0x021] = "EXCLUSIVE", [0x024] = "AUTH_TYPE",
        [0x025] = "AUTH_MISSING", [0x026] = "POLICY", [0x027] = "PCR", [0x028] = "PCR_CHANGED",
        [0x02D] = "UPGRADE", [0x02E] = "TOO_MANY_CONTEXTS", [0x02F] = "AUTH_UNAVAILABLE", [0x030] = "REBOOT",
        [0x031] = "UNBALANCED", [0x042] = "COMMAND_SIZE", [0x043] = "COMMAND_CODE", [0x044] = "AUTHSIZE",
        [0x045] = "AUTH_CONTEXT", [0x046] = "NV_RANGE", [0x047] = "NV_SIZE", [0x048] = "NV_LOCKED",
        [0x049] = "NV_AUTHORIZATION", [0x04A] = "NV_UNINITIALIZED", [0x04B] = "NV_SPACE", [0x04C] = "NV_DEFINED",
        [0x050] = "BAD_CONTEXT", [0x051] = "CPHASH", [0x052] = "PARENT", [0x053] = "NEEDS_TEST",
        [0x054] = "NO_RESULT", [0x055] = "SENSITIVE",
    };

    private static readonly Dictionary<uint, string> s_fmt1 = new()
    {
        [0x001] = "ASYMMETRIC", [0x002] = "ATTRIBUTES", [0x003] = "HASH", [0x004] = "VALUE",
        [0x005] = "HIERARCHY", [0x007] = "KEY_SIZE", [0x008] = "MGF", [0x009] = "MODE", [0x00A] = "TYPE",
        [0x00B] = "HANDLE", [0x00C] = "KDF", [0x00D] = "RANGE", [0x00E] = "AUTH_FAIL", [0x00F] = "NONCE",
        [0x010] = "PP", [0x012] = "SCHEME", [0x015] = "SIZE", [0x016] = "SYMMETRIC", [0x017] = "TAG",
        [0x018] = "SELECTOR", [0x01A] = "INSUFFICIENT", [0x01B] = "SIGNATURE", [0x01C] = "KEY",
        [0x01D] = "POLICY_FAIL", [0x01F] = "INTEGRITY", [0x020] = "TICKET", [0x021] = "RESERVED_BITS",
        [0x022] = "BAD_AUTH", [0x023] = "EXPIRED", [0x024] = "POLICY_CC", [0x025] = "BINDING",
        [0x026] = "CURVE", [0x027] = "ECC_POINT",
    };

    private static readonly Dictionary<uint, string> s_warn = new()
    {
        [0x001] = "CONTEXT_GAP", [0x002] = "OBJECT_MEMORY", [0x003] = "SESSION_MEMORY", [0x004] = "MEMORY",
        [0x005] = "SESSION_HANDLES", [0x006] = "OBJECT_HANDLES", [0x007] = "LOCALITY", [0x008] = "YIELDED",
        [0x009] = "CANCELED", [0x00A] = "TESTING", [0x010] = "REFERENCE_H0", [0x011] = "REFERENCE_H1",
        [0x012] = "REFERENCE_H2", [0x013] = "REFERENCE_H3", [0x014] = "REFERENCE_H4", [0x015] = "REFERENCE_H5",
        [0x016] = "REFERENCE_H6", [0x018] = "REFERENCE_S0", [0x019] = "REFERENCE_S1", [0x01A] = "REFERENCE_S2",
        [0x01B] = "REFERENCE_S3", [0x01C] = "REFERENCE_S4", [0x01D] = "REFERENCE_S5", [0x01E] = "REFERENCE_S6",
        [0x020] = "NV_RATE", [0x021] = "LOCKOUT", [0x022] = "RETRY", [0x023] = "NV_UNAVAILABLE",
    };

    /// <summary>
    /// The spec name of <paramref name="responseCode"/> with its hex value and, for format-one codes, the
    /// handle, session or parameter it refers to; e.g. <c>TPM_RC_VALUE (0x2C4) in parameter 2</c>.
    /// </summary>
    public static string Describe(uint responseCode)
    {
        string hex = "0x" + responseCode.ToString("X", CultureInfo.InvariantCulture);
        if (responseCode == Success)
        {
            return "TPM_RC_SUCCESS (0x0)";
        }

        // Bits 16..23 name a software layer (TSS, resource manager); such codes never come from the TPM itself.
        uint layer = (responseCode >> 16) & 0xFF;
        if (layer != 0)
        {
            return $"{hex} from software layer {layer} (not the TPM), code 0x{responseCode & 0xFFFF:X}";
        }

        if ((responseCode & Fmt1) != 0)
        {
            uint number = responseCode & 0x3F;
            uint n = (responseCode >> 8) & 0xF;
            string name = s_fmt1.TryGetValue(number, out string? f) ? "TPM_RC_" + f : "unknown format-one code";
            string where = (responseCode & 0x40) != 0 ? $" in parameter {n}"
                : n == 0 ? string.Empty
                : n < 8 ? $" in handle {n}"
                : $" in session {n - 8}";
            return $"{name} ({hex}){where}";
        }

        if ((responseCode & Ver1) == 0)
        {
            return responseCode == BadTag
                ? $"TPM_RC_BAD_TAG ({hex}): not a TPM 2.0 response code (TPM 1.2 device, or bad command tag)"
                : $"{hex}: a TPM 1.2 response code, not TPM 2.0";
        }

        bool vendor = (responseCode & 0x400) != 0;
        if (vendor)
        {
            return $"vendor-specific code ({hex})";
        }

        bool warning = (responseCode & 0x800) != 0;
        var table = warning ? s_warn : s_ver1;
        uint index = responseCode & 0x7F;
        return table.TryGetValue(index, out string? text)
            ? $"TPM_RC_{text} ({hex})"
            : $"unknown {(warning ? "warning" : "error")} code ({hex})";
    }

    /// <summary>
    /// TPM_RC_HANDLE (format one, 0x08B) in any handle position: e.g. <c>TPM2_ReadPublic</c> of a persistent handle
    /// nothing occupies.
    /// </summary>
    public static bool IsHandleError(uint responseCode) =>
        (responseCode & 0xFFFF_F000) == 0 && (responseCode & Fmt1) != 0 && (responseCode & 0x40) == 0 && (responseCode & 0x3F) == 0x0B;

    /// <summary>True for the warnings the spec says to answer by sending the same command again.</summary>
    public static bool IsRetryable(uint responseCode) =>
        responseCode is Retry or Yielded or Testing;
}
