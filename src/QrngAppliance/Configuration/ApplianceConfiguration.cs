using QrngAppliance.Staking;

namespace QrngAppliance.Configuration;

/// <summary>Reads <see cref="ApplianceOptions"/> from an optional JSON file and <c>QRNG_</c>-prefixed environment variables.</summary>
public static class ApplianceConfiguration
{
    public static ApplianceOptions Load(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new ConfigurationException("--config", $"file '{configFile}' does not exist");
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("QRNG_");
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            throw new ConfigurationException(configFile ?? "environment", $"cannot be read: {e.GetBaseException().Message}");
        }

        var options = new ApplianceOptions();
        Bind(root, ApplianceOptions.Section, options);
        Bind(root, StakingSettings.Section, options.Staking);

        return options;
    }

    private static void Bind(IConfigurationRoot root, string section, object target)
    {
        try
        {
            root.GetSection(section).Bind(target, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key and the bad value, e.g. "Failed to convert configuration value at 'Appliance:PoolCapacity'".
            var detail = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new ConfigurationException(section, detail.ReplaceLineEndings(" "));
        }
    }
}
