using System.Globalization;

namespace QrngAppliance.Entropy.Assessment;

/// <summary>One estimator's min-entropy per sample and the intermediate values NIST's tool prints with <c>-v</c>.</summary>
public sealed record Estimate(double MinEntropy, string Detail)
{
    /// <summary>Intermediate values the tool's <c>-o</c> JSON carries for this estimate, under the tool's key names.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> JsonFields { get; init; } = [];

    /// <summary>Formats like C's <c>%.17g</c>, so detail lines can be compared with the tool's verbose text.</summary>
    internal static string G17(double value)
    {
        var text = value.ToString("G17", CultureInfo.InvariantCulture);
        return text.Replace("E", "e", StringComparison.Ordinal);
    }
}
