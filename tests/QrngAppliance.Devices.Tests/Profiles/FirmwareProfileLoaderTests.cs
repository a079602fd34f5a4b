using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.Devices.Profiles;

namespace QrngAppliance.Devices.Tests.Profiles;

public class FirmwareProfileLoaderTests
{
    private const string FileName = "truerng-v3.json";

    private static string ShippedPath => Path.Combine(FirmwareProfileLoader.DefaultDirectory, FileName);

    private static string SchemaPath => Path.Combine(FirmwareProfileLoader.DefaultDirectory, FirmwareProfileLoader.SchemaFileName);

    [Fact]
    public void The_shipped_TrueRNG_v3_profile_loads_with_its_USB_id_and_claims()
    {
        FirmwareProfile p = FirmwareProfileLoader.LoadFile(ShippedPath);

        Assert.Equal("truerng-v3", p.Model);
        Assert.Equal("serial", p.Transport);
        Assert.Equal(new UsbIdentity(0x04d8, 0xf5fe, "TrueRNG"), p.Usb);
        Assert.NotNull(p.Serial);
        Assert.Equal(3000000, p.Serial.BaudRate);
        Assert.True(p.Serial.Dtr);
        Assert.Empty(p.Serial.InitCommands);
        Assert.Equal(8, p.SampleBits);
        Assert.Equal(7.0, p.MinEntropyPerSample);
        Assert.True(p.ExpectedRate.MinBytesPerSecond > 0 && p.ExpectedRate.MaxBytesPerSecond >= p.ExpectedRate.MinBytesPerSecond);
        Assert.Empty(p.KnownFirmwareHashes);
        Assert.Contains("H = 7.0", p.Notes);
        Assert.Equal(FileName, p.SourceFile);
    }

    [Fact]
    public void The_shipped_directory_loads_without_errors_and_skips_the_schema()
    {
        FirmwareProfileSet set = FirmwareProfileLoader.LoadDirectory(FirmwareProfileLoader.DefaultDirectory);

        Assert.Empty(set.Errors);
        Assert.Equal("truerng-v3", set.FindByUsb(0x04d8, 0xf5fe)?.Model);
        Assert.NotNull(set.FindByModel("truerng-v3"));
        Assert.Equal("onerng", set.FindByUsb(0x1d50, 0x6086)?.Model);
        Assert.Equal("truerngpro", set.FindByUsb(0x16d0, 0x0aa0)?.Model);
        Assert.Equal("truerngpro-v2", set.FindByUsb(0x04d8, 0xebb5)?.Model);
        Assert.Equal("quantis-usb", set.FindByUsb(0x0aba, 0x0102)?.Model);
        Assert.Equal("chaoskey", set.FindByUsb(0x1d50, 0x60c6)?.Model);
        Assert.Null(set.FindByUsb(0xdead, 0xbeef));
    }

    [Theory]
    [InlineData("min_entropy_per_sample", "0", "min_entropy_per_sample", "must be in (0, sample_bits]")]
    [InlineData("min_entropy_per_sample", "-1", "min_entropy_per_sample", "must be in (0, sample_bits]")]
    [InlineData("min_entropy_per_sample", "8.5", "min_entropy_per_sample", "must be in (0, sample_bits]")]
    [InlineData("min_entropy_per_sample", "\"7\"", "min_entropy_per_sample", "must be a number")]
    [InlineData("sample_bits", "0", "sample_bits", "must be in [1, 8]")]
    [InlineData("sample_bits", "9", "sample_bits", "must be in [1, 8]")]
    [InlineData("sample_bits", "7.5", "sample_bits", "must be an integer")]
    [InlineData("model", "\"TrueRNG v3\"", "model", "lower-case")]
    [InlineData("model", "\"\"", "model", "non-empty string")]
    [InlineData("transport", "\"bluetooth\"", "transport", "must be one of serial, usb, tpm, hwrng, cpu")]
    [InlineData("usb", "\"04d8:f5fe\"", "usb", "must be an object")]
    [InlineData("usb.vid", "\"4d8\"", "usb.vid", "4 lower-case hex digits")]
    [InlineData("usb.pid", "\"F5FE\"", "usb.pid", "4 lower-case hex digits")]
    [InlineData("usb.product", "42", "usb.product", "non-empty string")]
    [InlineData("serial.baud", "12345", "serial.baud", "standard Linux baud rate")]
    [InlineData("serial.baud", "-9600", "serial.baud", "at least 1")]
    [InlineData("serial.dtr", "\"yes\"", "serial.dtr", "true or false")]
    [InlineData("serial.init_commands", "\"cmdO\"", "serial.init_commands", "array of strings")]
    [InlineData("serial.init_commands", "[\"cmdO\", 7]", "serial.init_commands[1]", "printable ASCII")]
    [InlineData("serial.init_commands", "[\"cmd\\u0007\"]", "serial.init_commands[0]", "printable ASCII")]
    [InlineData("expected_rate_bytes_per_second.min", "0", "expected_rate_bytes_per_second.min", "greater than 0")]
    [InlineData("expected_rate_bytes_per_second.max", "1", "expected_rate_bytes_per_second.max", "at least min")]
    [InlineData("known_firmware_hashes", "{}", "known_firmware_hashes", "must be an array")]
    [InlineData("known_firmware_hashes", "[{\"version\": \"1.0\", \"sha256\": \"abc\"}]", "known_firmware_hashes[0].sha256", "64 lower-case hex")]
    [InlineData("known_firmware_hashes", "[{\"sha256\": \"" + "00000000000000000000000000000000" + "00000000000000000000000000000000" + "\"}]", "known_firmware_hashes[0].version", "is required")]
    [InlineData("known_firmware_hashes", "[\"abc\"]", "known_firmware_hashes[0]", "must be an object")]
    [InlineData("notes", "\"\"", "notes", "non-empty string")]
    [InlineData("colour", "\"blue\"", "colour", "is not a known property")]
    [InlineData("usb.serial", "\"x\"", "usb.serial", "is not a known property")]
    public void A_broken_field_is_an_error_naming_the_file_and_the_field(string field, string jsonValue, string expectedField, string expectedText)
    {
        JsonObject profile = GoodProfile();
        Set(profile, field, JsonNode.Parse(jsonValue));

        FirmwareProfileError error = Assert.Single(ParseErrors(profile));

        Assert.Equal(FileName, error.File);
        Assert.Equal(expectedField, error.Field);
        Assert.Contains(expectedText, error.Message);
        Assert.StartsWith($"{FileName}: {expectedField} ", error.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("7.5")] // above the profile's H = 7
    public void An_estimate_floor_outside_zero_to_h_is_an_error(string floor)
    {
        JsonObject profile = GoodProfile();
        profile["min_entropy_floor"] = JsonNode.Parse(floor);

        FirmwareProfileError error = Assert.Single(ParseErrors(profile));

        Assert.Equal("truerng-v3.json: min_entropy_floor must be in (0, min_entropy_per_sample]", error.ToString());
    }

    [Fact]
    public void The_estimate_floor_defaults_to_three_quarters_of_h_and_a_set_one_is_kept()
    {
        JsonObject profile = GoodProfile();
        profile.Remove("min_entropy_floor");
        Assert.True(FirmwareProfileLoader.TryParse(FileName, Encoding.UTF8.GetBytes(profile.ToJsonString()), out var byDefault, out _));
        Assert.Equal(0.75 * byDefault!.MinEntropyPerSample, byDefault.MinEntropyFloor);

        profile["min_entropy_floor"] = 6.5;
        Assert.True(FirmwareProfileLoader.TryParse(FileName, Encoding.UTF8.GetBytes(profile.ToJsonString()), out var set, out _));
        Assert.Equal(6.5, set!.MinEntropyFloor);
    }

    [Fact]
    public void H_above_a_narrow_sample_width_is_reported_in_the_documented_words()
    {
        JsonObject profile = GoodProfile();
        profile["sample_bits"] = 4;
        profile["min_entropy_per_sample"] = 5;

        FirmwareProfileError error = Assert.Single(ParseErrors(profile));

        Assert.Equal("truerng-v3.json: min_entropy_per_sample must be in (0, sample_bits]", error.ToString());
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_not_just_the_first()
    {
        JsonObject profile = GoodProfile();
        profile["sample_bits"] = 0;
        profile.Remove("notes");
        ((JsonObject)profile["usb"]!)["vid"] = "zzzz";

        string[] fields = ParseErrors(profile).Select(e => e.Field).Order().ToArray();

        Assert.Equal(["notes", "sample_bits", "usb.vid"], fields);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"model\": \"a\",}")]
    public void Text_that_is_not_a_JSON_object_is_an_error_naming_the_file(string text)
    {
        Assert.False(FirmwareProfileLoader.TryParse(FileName, Encoding.UTF8.GetBytes(text), out _, out var errors));

        FirmwareProfileError error = Assert.Single(errors);
        Assert.Equal(FileName, error.File);
        Assert.StartsWith($"{FileName}: ", error.ToString());
    }

    [Fact]
    public void A_usb_transport_needs_usb_but_not_serial_and_a_tpm_needs_neither()
    {
        JsonObject usb = GoodProfile();
        usb["transport"] = "usb";
        usb.Remove("serial");
        Assert.Empty(ParseErrors(usb));

        usb.Remove("usb");
        Assert.Equal("usb", Assert.Single(ParseErrors(usb)).Field);

        JsonObject tpm = GoodProfile();
        tpm["transport"] = "tpm";
        tpm.Remove("serial");
        tpm.Remove("usb");
        Assert.Empty(ParseErrors(tpm));
    }

    [Fact]
    public void Every_property_the_schema_requires_is_enforced_by_the_loader()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllBytes(SchemaPath));
        List<string> required = RequiredPaths(schema.RootElement, "").ToList();
        // The conditional requirements (allOf/if/then) apply to a serial profile such as the good one.
        foreach (JsonElement rule in schema.RootElement.GetProperty("allOf").EnumerateArray())
        {
            required.AddRange(rule.GetProperty("then").GetProperty("required").EnumerateArray().Select(e => e.GetString()!));
        }

        Assert.Contains("usb.vid", required);
        Assert.Contains("serial.init_commands", required);
        Assert.Contains("known_firmware_hashes[].sha256", required);
        foreach (string path in required)
        {
            JsonObject profile = GoodProfile();
            string concrete = path.Replace("[]", "[0]", StringComparison.Ordinal);
            if (path.StartsWith("known_firmware_hashes[]", StringComparison.Ordinal))
            {
                profile["known_firmware_hashes"] = JsonNode.Parse(
                    "[{\"version\": \"1.0\", \"sha256\": \"" + new string('a', 64) + "\"}]");
            }

            Remove(profile, concrete);

            IReadOnlyList<FirmwareProfileError> errors = ParseErrors(profile);
            Assert.True(errors.Any(e => e.Field == concrete && e.Message.Contains("required")),
                $"removing required '{concrete}' gave: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void Every_property_the_schema_declares_is_accepted_and_nothing_else()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllBytes(SchemaPath));
        JsonElement root = schema.RootElement;

        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        string[] declared = root.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToArray();
        JsonObject profile = GoodProfile();
        profile["$schema"] = "./profile.schema.json";
        string[] present = profile.Select(p => p.Key).Order().ToArray();

        Assert.Equal(declared, present);
        Assert.Empty(ParseErrors(profile));
    }

    [Fact]
    public void The_schema_baud_list_matches_the_rates_the_loader_accepts()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllBytes(SchemaPath));
        int[] schemaRates = schema.RootElement.GetProperty("properties").GetProperty("serial").GetProperty("properties")
            .GetProperty("baud").GetProperty("enum").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        foreach (int rate in schemaRates)
        {
            JsonObject profile = GoodProfile();
            ((JsonObject)profile["serial"]!)["baud"] = rate;
            Assert.Empty(ParseErrors(profile));
        }

        Assert.Equal(30, schemaRates.Length);
    }

    [Fact]
    public void A_directory_with_one_broken_profile_still_loads_the_good_one()
    {
        using var dir = new TempDirectory();
        File.Copy(ShippedPath, dir.File(FileName));
        JsonObject broken = GoodProfile();
        broken["model"] = "onerng";
        broken["min_entropy_per_sample"] = 0;
        File.WriteAllText(dir.File("onerng.json"), broken.ToJsonString());
        File.WriteAllText(dir.File("garbage.json"), "not json");
        File.WriteAllText(dir.File("README.md"), "ignored: not *.json");
        File.Copy(SchemaPath, dir.File(FirmwareProfileLoader.SchemaFileName));

        FirmwareProfileSet set = FirmwareProfileLoader.LoadDirectory(dir.Path);

        Assert.Equal("truerng-v3", Assert.Single(set.Profiles).Model);
        Assert.Equal(["garbage.json", "onerng.json"], set.Errors.Select(e => e.File).Order().ToArray());
        Assert.Contains(set.Errors, e => e.ToString() == "onerng.json: min_entropy_per_sample must be in (0, sample_bits]");
    }

    [Fact]
    public void A_second_profile_for_the_same_model_or_USB_device_is_an_error()
    {
        using var dir = new TempDirectory();
        File.Copy(ShippedPath, dir.File("a.json"));
        File.Copy(ShippedPath, dir.File("b.json"));
        JsonObject sameUsb = GoodProfile();
        sameUsb["model"] = "truerng-clone";
        File.WriteAllText(dir.File("c.json"), sameUsb.ToJsonString());

        FirmwareProfileSet set = FirmwareProfileLoader.LoadDirectory(dir.Path);

        Assert.Single(set.Profiles);
        Assert.Contains(set.Errors, e => e.File == "b.json" && e.Field == "model" && e.Message.Contains("a.json"));
        Assert.Contains(set.Errors, e => e.File == "c.json" && e.Field == "usb" && e.Message.Contains("a.json"));
    }

    [Fact]
    public void LoadFile_throws_with_every_error_in_the_message()
    {
        using var dir = new TempDirectory();
        JsonObject profile = GoodProfile();
        profile["sample_bits"] = 9;
        profile["transport"] = "carrier-pigeon";
        string path = dir.File("bad.json");
        File.WriteAllText(path, profile.ToJsonString());

        var e = Assert.Throws<FirmwareProfileException>(() => FirmwareProfileLoader.LoadFile(path));

        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("bad.json: sample_bits must be in [1, 8]", e.Message);
        Assert.Contains("bad.json: transport must be one of", e.Message);
    }

    [Fact]
    public void A_missing_directory_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        string missing = dir.File("nope");

        var e = Assert.Throws<DirectoryNotFoundException>(() => FirmwareProfileLoader.LoadDirectory(missing));
        Assert.Contains(missing, e.Message);
    }

    private static JsonObject GoodProfile() => JsonNode.Parse(File.ReadAllText(ShippedPath))!.AsObject();

    private static IReadOnlyList<FirmwareProfileError> ParseErrors(JsonObject profile)
    {
        bool ok = FirmwareProfileLoader.TryParse(FileName, Encoding.UTF8.GetBytes(profile.ToJsonString()), out FirmwareProfile? parsed, out var errors);
        Assert.Equal(ok, parsed is not null);
        Assert.Equal(ok, errors.Count == 0);
        return errors;
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        string[] parts = path.Split('.');
        JsonObject parent = root;
        foreach (string part in parts[..^1])
        {
            parent = (JsonObject)parent[part]!;
        }

        parent[parts[^1]] = value;
    }

    private static void Remove(JsonObject root, string path)
    {
        JsonNode parent = root;
        string[] parts = path.Split('.');
        foreach (string part in parts[..^1])
        {
            parent = part.EndsWith("[0]", StringComparison.Ordinal) ? parent[part[..^3]]![0]! : parent[part]!;
        }

        Assert.True(((JsonObject)parent).Remove(parts[^1]), $"good profile has no '{path}' to remove");
    }

    /// <summary>Walks "properties" and array "items", yielding dotted paths of required properties (arrays as []).</summary>
    private static IEnumerable<string> RequiredPaths(JsonElement schema, string prefix)
    {
        if (schema.TryGetProperty("required", out JsonElement required))
        {
            foreach (JsonElement name in required.EnumerateArray())
            {
                yield return prefix + name.GetString();
            }
        }

        if (schema.TryGetProperty("properties", out JsonElement properties))
        {
            foreach (JsonProperty property in properties.EnumerateObject())
            {
                foreach (string nested in RequiredPaths(property.Value, $"{prefix}{property.Name}."))
                {
                    yield return nested;
                }

                if (property.Value.TryGetProperty("items", out JsonElement items))
                {
                    foreach (string nested in RequiredPaths(items, $"{prefix}{property.Name}[]."))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}
