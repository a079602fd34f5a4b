using System.Globalization;
using System.Text;
using System.Text.Json;

namespace QrngAppliance.Mining.Stratum;

/// <summary>A found share as <c>mining.submit</c> carries it; every field is lower-case hex as pools expect.</summary>
/// <param name="Nonce">The header's nonce (sent as big-endian hex of the little-endian header word).</param>
public sealed record StratumShare(string JobId, string Extranonce2, string NTime, uint Nonce)
{
    public string NonceHex => Nonce.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>The request line without its newline, e.g.
    /// <c>{"id":4,"method":"mining.submit","params":["worker","1","0602","4d1b2237","10572b0f"]}</c>.</summary>
    public string ToSubmitJson(long id, string worker)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteString("method", "mining.submit");
            w.WriteStartArray("params");
            w.WriteStringValue(worker);
            w.WriteStringValue(JobId);
            w.WriteStringValue(Extranonce2);
            w.WriteStringValue(NTime);
            w.WriteStringValue(NonceHex);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
