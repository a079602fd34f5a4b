using System.Globalization;

namespace QrngAppliance.Devices.Tpm;

/// <summary>One TPMS_PCR_SELECTION: a PCR bank and the PCR indices selected in it.</summary>
public sealed class TpmPcrSelection
{
    /// <summary>PCR_SELECT_MIN for the PC Client platform (24 PCRs): the bitmap is at least 3 bytes.</summary>
    private const int MinSelectBytes = 3;

    public TpmPcrSelection(TpmAlgorithm bank, IEnumerable<int> pcrs)
    {
        Bank = bank;
        var sorted = pcrs.Distinct().Order().ToArray();
        if (sorted.Length > 0 && (sorted[0] < 0 || sorted[^1] > 255))
        {
            throw new ArgumentOutOfRangeException(nameof(pcrs), "PCR indices must be 0..255");
        }

        Pcrs = sorted;
    }

    public TpmAlgorithm Bank { get; }

    /// <summary>Selected PCR indices, ascending: the order a TPM concatenates their values in a quote.</summary>
    public IReadOnlyList<int> Pcrs { get; }

    /// <summary>tpm2-tools' syntax, e.g. <c>sha256:0,16</c> (the <c>-l</c> argument of tpm2_quote/checkquote).</summary>
    public override string ToString() =>
        $"{TpmHash.ToolName(Bank)}:{string.Join(',', Pcrs.Select(p => p.ToString(CultureInfo.InvariantCulture)))}";

    internal static TpmPcrSelection FromBitmap(TpmAlgorithm bank, ReadOnlySpan<byte> bitmap)
    {
        var pcrs = new List<int>();
        for (int i = 0; i < bitmap.Length * 8; i++)
        {
            if ((bitmap[i / 8] & (1 << (i % 8))) != 0)
            {
                pcrs.Add(i);
            }
        }

        return new TpmPcrSelection(bank, pcrs);
    }

    internal void WriteTo(TpmCommandWriter writer)
    {
        int size = Math.Max(MinSelectBytes, Pcrs.Count == 0 ? 0 : (Pcrs[^1] / 8) + 1);
        Span<byte> bitmap = stackalloc byte[size];
        bitmap.Clear();
        foreach (int pcr in Pcrs)
        {
            bitmap[pcr / 8] |= (byte)(1 << (pcr % 8));
        }

        writer.WriteUInt16((ushort)Bank);
        writer.WriteUInt8((byte)size);
        writer.WriteBytes(bitmap);
    }
}
