using System.Globalization;
using System.Text.RegularExpressions;

namespace QrngAppliance.Entropy.Tests.Assessment;

/// <summary>Compares one of our detail lines with the tool's -v line: same words, integers equal, reals close.</summary>
internal static partial class VerboseLine
{
    public static void AssertEquivalent(string nist, string ours)
    {
        var a = Tokens(nist);
        var b = Tokens(ours);
        Assert.True(a.Count == b.Count, $"token count differs:\nNIST: {nist}\nours: {ours}");
        for (var i = 0; i < a.Count; i++)
        {
            var x = a[i];
            var y = b[i];
            var xIsNumber = double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var xv);
            var yIsNumber = double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var yv);
            if (xIsNumber && yIsNumber)
            {
                var isInteger = !x.Contains('.', StringComparison.Ordinal) && !x.Contains('e', StringComparison.OrdinalIgnoreCase);
                var ok = isInteger ? xv == yv : Math.Abs(xv - yv) <= 1e-9 * Math.Max(1e-300, Math.Abs(xv));
                Assert.True(ok, $"value {i} differs ({x} vs {y}):\nNIST: {nist}\nours: {ours}");
            }
            else
            {
                Assert.True(x == y, $"word {i} differs ({x} vs {y}):\nNIST: {nist}\nours: {ours}");
            }
        }
    }

    private static List<string> Tokens(string line) =>
        TokenPattern().Matches(line).Select(m => m.Value.TrimEnd(',')).ToList();

    [GeneratedRegex(@"[^\s=()]+")]
    private static partial Regex TokenPattern();
}
