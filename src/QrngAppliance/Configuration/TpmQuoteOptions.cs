using System.Globalization;
using QrngAppliance.Devices.Tpm;
using QrngAppliance.Pipeline;

namespace QrngAppliance.Configuration;

/// <summary>
/// The <c>Appliance:TpmQuote</c> section: whether and how pulses carry a <c>TPM2_Quote</c> (docs/proof-format.md,
/// "TPM quote"). Quoting needs a configured TPM source (<c>Profile: tpm2</c>; <c>qrng run --sim</c> adds swtpm as
/// <c>tpm0</c>); without one it is off.
/// </summary>
public sealed class TpmQuoteOptions
{
    /// <summary>Default persistent handle of the attestation key: owner-range, clear of the TCG EK handles 0x81010001..</summary>
    public const uint DefaultAkHandle = 0x8101_8000;

    /// <summary>Quote every N-th pulse of a chain (1 = every pulse, the default; 0 = off; at most 86400).</summary>
    public int Every { get; set; } = 1;

    /// <summary>Id of the TPM source to quote with. Default (null): the first configured source with transport tpm.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// The PCR selection quoted, tpm2-tools syntax <c>BANK:N,N,…</c> (banks sha1, sha256, sha384, sha512; PCRs 0..23).
    /// Default <c>sha256:0,1,2,3,4,5,6,7</c>: the firmware, option ROM, boot loader and Secure Boot measurements.
    /// </summary>
    public string Pcrs { get; set; } = "sha256:0,1,2,3,4,5,6,7";

    /// <summary>Persistent handle for the attestation key, hex (0x81000000 .. 0x81FFFFFF). Default 0x81018000.</summary>
    public string AkHandle { get; set; } = $"0x{DefaultAkHandle:x8}";

    /// <summary><c>ecc</c> (NIST P-256, ECDSA; default, fast) or <c>rsa</c> (RSA-2048, RSASSA).</summary>
    public string AkType { get; set; } = "ecc";

    public bool Enabled => Every > 0;

    /// <summary>Checks the section's values; a bad one is a <see cref="ConfigurationException"/> naming its key.</summary>
    public void Validate()
    {
        if (Every is < 0 or > 86_400)
        {
            throw new ConfigurationException($"{Key}:Every", $"must be 0 (off), 1 (every pulse) or N up to 86400 (every N-th pulse), got {Every}");
        }

        _ = PcrSelection;
        _ = PersistentHandle;
        _ = KeyType;
    }

    /// <summary>
    /// The TPM source to quote with: <see cref="Source"/>, else the first TPM source; null when quoting is off or no
    /// TPM source is configured. A <see cref="Source"/> that is missing or not a TPM is a <see cref="ConfigurationException"/>.
    /// </summary>
    public SourceDefinition? FindSource(IReadOnlyList<SourceDefinition> sources)
    {
        if (!Enabled)
        {
            return null;
        }

        if (Source is null)
        {
            return sources.FirstOrDefault(s => s.Tpm is not null);
        }

        var source = sources.FirstOrDefault(s => s.Id == Source)
            ?? throw new ConfigurationException($"{Key}:Source", $"no configured source '{Source}' (sources: {string.Join(", ", sources.Select(s => s.Id))})");
        return source.Tpm is not null ? source
            : throw new ConfigurationException($"{Key}:Source", $"source '{Source}' is not a TPM (transport {source.Transport}); quotes need a source with profile tpm2");
    }

    public TpmPcrSelection PcrSelection => ParsePcrs(Pcrs, $"{Key}:Pcrs");

    public uint PersistentHandle => ParseAkHandle(AkHandle, $"{Key}:AkHandle");

    public TpmAlgorithm KeyType => ParseAkType(AkType, $"{Key}:AkType");

    private const string Key = ApplianceOptions.Section + ":TpmQuote";

    private static TpmPcrSelection ParsePcrs(string text, string key)
    {
        var parts = (text ?? "").Split(':');
        var bank = parts.Length == 2 ? parts[0].Trim().ToLowerInvariant() switch
        {
            "sha1" => TpmAlgorithm.Sha1,
            "sha256" => TpmAlgorithm.Sha256,
            "sha384" => TpmAlgorithm.Sha384,
            "sha512" => TpmAlgorithm.Sha512,
            _ => (TpmAlgorithm?)null,
        } : null;
        if (bank is null)
        {
            throw new ConfigurationException(key, $"must be BANK:N,N,… with BANK sha1, sha256, sha384 or sha512 (e.g. sha256:0,1,7), got '{text}'");
        }

        var pcrs = new List<int>();
        foreach (var item in parts[1].Split(','))
        {
            if (!int.TryParse(item.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pcr) || pcr > 23)
            {
                throw new ConfigurationException(key, $"PCR '{item.Trim()}' is not a number from 0 to 23 (in '{text}')");
            }

            if (pcrs.Contains(pcr))
            {
                throw new ConfigurationException(key, $"PCR {pcr} is listed twice (in '{text}')");
            }

            pcrs.Add(pcr);
        }

        return new TpmPcrSelection(bank.Value, pcrs);
    }

    private static uint ParseAkHandle(string text, string key)
    {
        var hex = (text ?? "").StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text![2..] : null;
        if (hex is null || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var handle) || handle >> 24 != 0x81)
        {
            throw new ConfigurationException(key, $"must be a persistent handle in hex, 0x81000000 to 0x81ffffff, got '{text}'");
        }

        return handle;
    }

    private static TpmAlgorithm ParseAkType(string text, string key) => text switch
    {
        "ecc" => TpmAlgorithm.Ecc,
        "rsa" => TpmAlgorithm.Rsa,
        _ => throw new ConfigurationException(key, $"must be ecc (NIST P-256) or rsa (RSA-2048), got '{text}'"),
    };
}
