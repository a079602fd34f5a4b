namespace QrngAppliance.Staking.Registry;

/// <summary>The validator id rule: 1-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit (safe in URLs and logs).</summary>
public static class ValidatorIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength }
        && (char.IsAsciiLetterLower(id[0]) || char.IsAsciiDigit(id[0]))
        && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');
}
