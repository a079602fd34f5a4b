using System.Text.Json;
using QrngAppliance.Api;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Verification;

/// <summary>
/// The one check that a pulse's JSON view says what its signed bytes say, used by <c>verify --chain</c> and
/// <c>verify --proof</c> alike: the view must be exactly <see cref="PulseView.From"/> of the decoded pulse, every
/// field, no field missing and none added, so a reader of the readable fields is never shown what was not signed.
/// </summary>
public static class PulseViewCheck
{
    /// <summary>The first field of <paramref name="view"/> that differs from the view of <paramref name="pulse"/>, or null.</summary>
    public static string? FirstMismatch(Pulse pulse, JsonElement view)
    {
        if (view.ValueKind != JsonValueKind.Object)
        {
            return "(not an object)";
        }

        var expected = JsonSerializer.SerializeToElement(PulseView.From(pulse), ApiJson.Options);
        foreach (var property in expected.EnumerateObject())
        {
            if (!view.TryGetProperty(property.Name, out var actual) || !JsonElement.DeepEquals(property.Value, actual))
            {
                return property.Name;
            }
        }

        foreach (var property in view.EnumerateObject())
        {
            if (!expected.TryGetProperty(property.Name, out _))
            {
                return property.Name;
            }
        }

        return null;
    }
}
