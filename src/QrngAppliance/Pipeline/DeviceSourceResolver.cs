using QrngAppliance.Configuration;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Serial;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Pipeline;

/// <summary>Binds configured sources to firmware profiles and the driver for their transport.</summary>
public sealed class DeviceSourceResolver(FirmwareProfileSet profiles)
{
    public FirmwareProfileSet Profiles { get; } = profiles;

    /// <summary>The folder the profiles were loaded from; lets <see cref="Resolve"/> hash each source's profile file.</summary>
    public string? Directory { get; init; }

    /// <summary>Loads the profiles folder: <paramref name="directory"/>, else next to the executable, else <c>./firmware-profiles</c>.</summary>
    public static DeviceSourceResolver Load(string? directory)
    {
        var path = directory
            ?? new[] { FirmwareProfileLoader.DefaultDirectory, Path.Combine(Environment.CurrentDirectory, "firmware-profiles") }.FirstOrDefault(System.IO.Directory.Exists)
            ?? FirmwareProfileLoader.DefaultDirectory;
        if (!System.IO.Directory.Exists(path))
        {
            throw new ConfigurationException($"{ApplianceOptions.Section}:ProfilesDir", $"folder '{path}' does not exist");
        }

        return new DeviceSourceResolver(FirmwareProfileLoader.LoadDirectory(path)) { Directory = path };
    }

    public SourceDefinition Resolve(SourceOptions source, int index)
    {
        var key = $"{ApplianceOptions.Section}:Sources:{index}:Profile";
        var profile = Profiles.FindByModel(source.Profile);
        if (profile is null)
        {
            var broken = Profiles.Errors.FirstOrDefault(e => Path.GetFileNameWithoutExtension(e.File) == source.Profile);
            throw new ConfigurationException(key, broken is null
                ? $"no firmware profile '{source.Profile}' (known: {string.Join(", ", Profiles.Profiles.Select(p => p.Model))})"
                : $"profile '{source.Profile}' is broken: {broken}");
        }

        Func<CancellationToken, ValueTask<EntropySource>> open = profile.Transport switch
        {
            "serial" => _ => ValueTask.FromResult<EntropySource>(TrueRngEntropySource.Open(source.Path, profile, source.Id)),
            _ => throw new ConfigurationException(key, $"transport '{profile.Transport}' of profile '{profile.Model}' has no driver in this build"),
        };
        var file = Directory is null ? null : System.IO.Path.Combine(Directory, profile.SourceFile);
        return new SourceDefinition(source.Id, profile.Model, profile.Transport, source.Path, profile.SampleBits, profile.MinEntropyPerSample, open)
        {
            // Pulses carry this hash, so a verifier sees which profile (rates, cutoffs, firmware list) was in force.
            ProfileSha256 = file is not null && File.Exists(file) ? System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)) : null,
        };
    }
}
