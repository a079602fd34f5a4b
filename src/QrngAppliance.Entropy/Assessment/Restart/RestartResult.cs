using QrngAppliance.Entropy.Assessment.Iid;

namespace QrngAppliance.Entropy.Assessment.Restart;

/// <summary>
/// The §3.1.4 restart test as <c>ea_restart</c> reports it: the sanity check (X_max against X_cutoff) and, when it
/// passes, H_r and H_c from the row and column datasets; validation passes when min(H_r, H_c) ≥ H_I / 2.
/// </summary>
public sealed record RestartResult(
    double HI,
    int XCutoff,
    int XRows,
    int XColumns,
    NonIidResult? Rows,
    NonIidResult? Columns,
    IidResult? RowsIid,
    IidResult? ColumnsIid,
    double? HR,
    double? HC)
{
    public int XMax => Math.Max(XRows, XColumns);

    public bool SanityCheckPassed => XMax <= XCutoff;

    public bool ValidationPassed => SanityCheckPassed && HR is { } r && HC is { } c && Math.Min(r, c) >= HI / 2.0
        && (RowsIid is null || RowsIid.IsIid) && (ColumnsIid is null || ColumnsIid.IsIid);

    /// <summary>min(H_r, H_c, H_I), the validated entropy, when validation passed.</summary>
    public double? Validated => ValidationPassed ? Math.Min(Math.Min(HR!.Value, HC!.Value), HI) : null;
}
