using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using QrngAppliance.Devices.Interop;

namespace QrngAppliance.Devices.Profiles;

/// <summary>
/// Loads <c>firmware-profiles/*.json</c> and validates every field by hand, with messages that name the file
/// and the field. The rules are the ones <c>profile.schema.json</c> states (no JSON Schema library is on the
/// package mirror); a test checks that every property the schema requires is enforced here.
/// </summary>
public static partial class FirmwareProfileLoader
{
    /// <summary>The schema file that ships next to the profiles; skipped by <see cref="LoadDirectory"/>.</summary>
    public const string SchemaFileName = "profile.schema.json";

    /// <summary>Transports a profile may name (SourceIdentity.Transport uses the same words).</summary>
    public static readonly IReadOnlyList<string> Transports = ["serial", "usb", "tpm", "hwrng", "cpu", "adc"];

    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 16,
    };

    private static readonly string[] s_topLevel =
    [
        "$schema", "model", "transport", "usb", "serial", "sample_bits", "min_entropy_per_sample",
        "min_entropy_floor", "expected_rate_bytes_per_second", "known_firmware_hashes", "notes", "adc",
    ];

    /// <summary>
    /// The profiles directory shipped with the binaries (<c>&lt;app dir&gt;/firmware-profiles</c>); the Devices
    /// project copies <c>firmware-profiles/*.json</c> there for every app and test that references it.
    /// </summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "firmware-profiles");

    /// <summary>
    /// Loads every <c>*.json</c> in <paramref name="directory"/> except the schema, in file-name order.
    /// A broken file yields errors and is skipped; the others still load. Two files with the same model
    /// or USB id are an error on the later file.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static FirmwareProfileSet LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"firmware-profiles directory not found: {directory}");
        }

        var profiles = new List<FirmwareProfile>();
        var errors = new List<FirmwareProfileError>();
        IEnumerable<string> files = Directory.EnumerateFiles(directory, "*.json")
            .Where(f => !string.Equals(Path.GetFileName(f), SchemaFileName, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (string file in files)
        {
            string name = Path.GetFileName(file);
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (IOException e)
            {
                errors.Add(new FirmwareProfileError(name, "", $"cannot be read: {e.Message}"));
                continue;
            }

            if (!TryParse(name, bytes, out FirmwareProfile? profile, out IReadOnlyList<FirmwareProfileError> fileErrors))
            {
                errors.AddRange(fileErrors);
                continue;
            }

            if (profiles.FirstOrDefault(p => p.Model == profile.Model) is { } sameModel)
            {
                errors.Add(new FirmwareProfileError(name, "model", $"'{profile.Model}' is already defined by {sameModel.SourceFile}"));
            }
            else if (profile.Usb is { } usb && profiles.FirstOrDefault(p => p.Usb is { } u
                         && u.VendorId == usb.VendorId && u.ProductId == usb.ProductId && u.Product == usb.Product) is { } sameUsb)
            {
                errors.Add(new FirmwareProfileError(name, "usb", $"{usb} is already claimed by {sameUsb.SourceFile}"));
            }
            else
            {
                profiles.Add(profile);
            }
        }

        return new FirmwareProfileSet(profiles, errors);
    }

    /// <summary>Loads one profile file.</summary>
    /// <exception cref="FirmwareProfileException">The file is invalid; the message lists every error.</exception>
    public static FirmwareProfile LoadFile(string path)
    {
        string name = Path.GetFileName(path);
        return TryParse(name, File.ReadAllBytes(path), out FirmwareProfile? profile, out IReadOnlyList<FirmwareProfileError> errors)
            ? profile
            : throw new FirmwareProfileException(errors);
    }

    /// <summary>
    /// Parses and validates profile JSON. <paramref name="fileName"/> is used in error messages only.
    /// Returns false with every error found (not just the first) when the profile is invalid.
    /// </summary>
    public static bool TryParse(string fileName, ReadOnlySpan<byte> utf8Json,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FirmwareProfile? profile,
        out IReadOnlyList<FirmwareProfileError> errors)
    {
        var v = new Validator(fileName);
        profile = null;
        try
        {
            // ReadOnlyMemory is required by JsonDocument.Parse; the copy is a few hundred bytes.
            using JsonDocument document = JsonDocument.Parse(utf8Json.ToArray(), s_jsonOptions);
            profile = v.Profile(document.RootElement);
        }
        catch (JsonException e)
        {
            v.Error("", $"is not valid JSON: {e.Message}");
        }

        errors = v.Errors;
        if (v.Errors.Count > 0)
        {
            profile = null;
            return false;
        }

        return profile is not null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex ModelPattern();

    [GeneratedRegex("^[0-9a-f]{4}$")]
    private static partial Regex UsbIdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    /// <summary>Collects errors with their field paths while walking one document.</summary>
    private sealed partial class Validator(string file)
    {
        public List<FirmwareProfileError> Errors { get; } = [];

        public void Error(string field, string message) => Errors.Add(new FirmwareProfileError(file, field, message));

        public FirmwareProfile? Profile(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("", "must be a JSON object");
                return null;
            }

            RejectUnknown(root, "", s_topLevel);
            string? model = String(root, "model", "", required: true);
            if (model is not null && !ModelPattern().IsMatch(model))
            {
                Error("model", "must be lower-case letters, digits and '-', 1..64 characters, starting with a letter or digit");
            }

            string? transport = String(root, "transport", "", required: true);
            if (transport is not null && !Transports.Contains(transport))
            {
                Error("transport", $"must be one of {string.Join(", ", Transports)}");
            }

            UsbIdentity? usb = null;
            bool needsUsb = transport is "serial" or "usb";
            if (Object(root, "usb", required: needsUsb, needsUsb ? $"is required for transport '{transport}'" : null) is { } usbElement)
            {
                usb = Usb(usbElement);
            }

            SerialSettings? serial = null;
            bool isSerial = transport == "serial";
            if (Object(root, "serial", required: isSerial, isSerial ? "is required for transport 'serial'" : null) is { } serialElement)
            {
                serial = Serial(serialElement);
            }

            AdcSettings? adc = null;
            bool isAdc = transport == "adc";
            if (Object(root, "adc", required: isAdc, isAdc ? "is required for transport 'adc'" : null) is { } adcElement)
            {
                adc = isAdc ? Adc(adcElement) : null;
                if (!isAdc)
                {
                    Error("adc", "is only allowed for transport 'adc'");
                }
            }

            int? sampleBits = Integer(root, "sample_bits", "", 1, 8);

            double? h = Number(root, "min_entropy_per_sample", "");
            if (h is { } hValue && !(hValue > 0 && hValue <= (sampleBits ?? 8)))
            {
                Error("min_entropy_per_sample", "must be in (0, sample_bits]");
            }

            double? floor = Number(root, "min_entropy_floor", "", required: false);
            // Judged against H only when H itself is valid: a broken H is one error, not two.
            if (floor is { } floorValue && h is { } claimed && claimed > 0 && claimed <= (sampleBits ?? 8)
                && !(floorValue > 0 && floorValue <= claimed))
            {
                Error("min_entropy_floor", "must be in (0, min_entropy_per_sample]");
            }

            ExpectedRate? rate = null;
            if (Object(root, "expected_rate_bytes_per_second", required: true) is { } rateElement)
            {
                rate = Rate(rateElement);
            }

            List<FirmwareHash>? hashes = Hashes(root);
            string? notes = String(root, "notes", "", required: true);

            if (Errors.Count > 0)
            {
                return null;
            }

            return new FirmwareProfile(model!, transport!, usb, serial, sampleBits!.Value, h!.Value, rate!, hashes!, notes!, file)
            {
                Adc = adc,
                MinEntropyFloorOverride = floor,
            };
        }

        private UsbIdentity? Usb(JsonElement usb)
        {
            RejectUnknown(usb, "usb", ["vid", "pid", "product"]);
            ushort? vid = UsbId(usb, "vid");
            ushort? pid = UsbId(usb, "pid");
            string? product = String(usb, "product", "usb", required: true);
            return vid is { } v && pid is { } p && product is not null ? new UsbIdentity(v, p, product) : null;
        }

        private ushort? UsbId(JsonElement usb, string name)
        {
            string? text = String(usb, name, "usb", required: true);
            if (text is null)
            {
                return null;
            }

            if (!UsbIdPattern().IsMatch(text))
            {
                Error($"usb.{name}", "must be 4 lower-case hex digits, e.g. \"04d8\"");
                return null;
            }

            return ushort.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        private SerialSettings? Serial(JsonElement serial)
        {
            RejectUnknown(serial, "serial", ["baud", "dtr", "init_commands"]);
            int? baud = Integer(serial, "baud", "serial", 1, int.MaxValue);
            if (baud is { } b && !BaudRates.TryGetCode(b, out _))
            {
                Error("serial.baud", $"must be a standard Linux baud rate ({string.Join(", ", BaudRates.Supported)})");
                baud = null;
            }

            bool? dtr = null;
            if (Child(serial, "dtr", "serial", required: true) is { } dtrElement)
            {
                if (dtrElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    dtr = dtrElement.GetBoolean();
                }
                else
                {
                    Error("serial.dtr", "must be true or false");
                }
            }

            List<string>? commands = null;
            if (Child(serial, "init_commands", "serial", required: true) is { } list)
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    Error("serial.init_commands", "must be an array of strings");
                }
                else
                {
                    commands = [];
                    int i = 0;
                    foreach (JsonElement item in list.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } command
                            || command.Any(c => c > 0x7e || (c < 0x20 && c != '\n' && c != '\r')))
                        {
                            Error($"serial.init_commands[{i}]", "must be a non-empty printable ASCII string");
                        }
                        else
                        {
                            commands.Add(command);
                        }

                        i++;
                    }
                }
            }

            return baud is { } bd && dtr is { } d && commands is not null ? new SerialSettings(bd, d, commands) : null;
        }

        private ExpectedRate? Rate(JsonElement rate)
        {
            const string Path = "expected_rate_bytes_per_second";
            RejectUnknown(rate, Path, ["min", "max"]);
            double? min = Number(rate, "min", Path);
            double? max = Number(rate, "max", Path);
            if (min is <= 0)
            {
                Error($"{Path}.min", "must be greater than 0");
                return null;
            }

            if (min is { } lo && max is { } hi && hi < lo)
            {
                Error($"{Path}.max", "must be at least min");
                return null;
            }

            return min is { } a && max is { } b ? new ExpectedRate(a, b) : null;
        }

        private List<FirmwareHash>? Hashes(JsonElement root)
        {
            const string Path = "known_firmware_hashes";
            if (Child(root, Path, "", required: true) is not { } list)
            {
                return null;
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                Error(Path, "must be an array (empty when the firmware cannot be read back)");
                return null;
            }

            var hashes = new List<FirmwareHash>();
            int i = 0;
            foreach (JsonElement item in list.EnumerateArray())
            {
                string itemPath = $"{Path}[{i++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Error(itemPath, "must be an object {\"version\", \"sha256\"}");
                    continue;
                }

                RejectUnknown(item, itemPath, ["version", "sha256"]);
                string? version = String(item, "version", itemPath, required: true);
                string? sha = String(item, "sha256", itemPath, required: true);
                if (sha is not null && !Sha256Pattern().IsMatch(sha))
                {
                    Error($"{itemPath}.sha256", "must be 64 lower-case hex digits");
                }
                else if (version is not null && sha is not null)
                {
                    hashes.Add(new FirmwareHash(version, sha));
                }
            }

            return hashes;
        }

        private void RejectUnknown(JsonElement obj, string path, IReadOnlyCollection<string> known)
        {
            foreach (JsonProperty property in obj.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    Error(Join(path, property.Name), $"is not a known property (known: {string.Join(", ", known)})");
                }
            }
        }

        private JsonElement? Child(JsonElement obj, string name, string parent, bool required, string? missingMessage = null)
        {
            if (obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null)
            {
                return value;
            }

            if (required)
            {
                Error(Join(parent, name), missingMessage ?? "is required");
            }

            return null;
        }

        private JsonElement? Object(JsonElement obj, string name, bool required, string? missingMessage = null)
        {
            if (Child(obj, name, "", required, missingMessage) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                Error(name, "must be an object");
                return null;
            }

            return value;
        }

        private string? String(JsonElement obj, string name, string parent, bool required)
        {
            if (Child(obj, name, parent, required) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            {
                Error(Join(parent, name), "must be a non-empty string");
                return null;
            }

            return text;
        }

        private int? Integer(JsonElement obj, string name, string parent, int min, int max)
        {
            if (Child(obj, name, parent, required: true) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
            {
                Error(Join(parent, name), "must be an integer");
                return null;
            }

            if (number < min || number > max)
            {
                Error(Join(parent, name), max == int.MaxValue ? $"must be at least {min}" : $"must be in [{min}, {max}]");
                return null;
            }

            return number;
        }

        private double? Number(JsonElement obj, string name, string parent, bool required = true)
        {
            if (Child(obj, name, parent, required) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
            {
                Error(Join(parent, name), "must be a number");
                return null;
            }

            return number;
        }

        private static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";
    }
}
