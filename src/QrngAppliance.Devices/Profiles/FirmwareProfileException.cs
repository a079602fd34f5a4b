namespace QrngAppliance.Devices.Profiles;

/// <summary>A profile file could not be loaded; <see cref="Exception.Message"/> lists every error, one per line.</summary>
public sealed class FirmwareProfileException(IReadOnlyList<FirmwareProfileError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<FirmwareProfileError> Errors { get; } = errors;
}
