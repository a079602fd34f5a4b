namespace QrngAppliance.Devices.Profiles;

/// <summary>One problem in one profile file: the file name, the JSON field path (e.g. <c>serial.baud</c>) and what is wrong.</summary>
public sealed record FirmwareProfileError(string File, string Field, string Message)
{
    /// <summary><c>truerng-v3.json: min_entropy_per_sample must be in (0, sample_bits]</c>.</summary>
    public override string ToString() => Field.Length == 0 ? $"{File}: {Message}" : $"{File}: {Field} {Message}";
}
