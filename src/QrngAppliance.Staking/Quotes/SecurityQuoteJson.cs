using System.Globalization;
using System.Text;
using System.Text.Json;
using QrngAppliance.Staking.Escalation;

namespace QrngAppliance.Staking.Quotes;

/// <summary>
/// The one JSON shape of a <see cref="SecurityQuote"/>, written alike by <c>POST /v1/security/quote</c> and
/// <c>qrng stake quote --json</c> (docs/json.md): states by their wire names, tiers by name with their level, and
/// every quantity that can pass 2^53 (value, deployment and entropy bits) as a decimal string.
/// </summary>
public static class SecurityQuoteJson
{
    public static void Write(Utf8JsonWriter json, SecurityQuote quote)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(quote);
        json.WriteStartObject();
        json.WriteString("value", quote.Value.ToString());
        json.WriteString("state", NetworkSecurityStates.ToName(quote.State));
        json.WriteString("tier", quote.Tier.ToString());
        json.WriteNumber("tier_level", (int)quote.Tier);
        json.WriteString("value_tier", quote.ValueTier.ToString());
        json.WriteNumber("validators_required", quote.Validators);
        json.WriteString("deployment_bits", quote.DeploymentBits.ToString(CultureInfo.InvariantCulture));
        json.WriteString("entropy_bits", quote.EntropyBits.ToString(CultureInfo.InvariantCulture));
        json.WriteString("cost_function", quote.CostFunction);
        json.WriteEndObject();
    }

    public static string ToJson(SecurityQuote quote)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, quote);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
