namespace QrngAppliance.Proofs.Pulses;

/// <summary>The first check a pulse chain failed: which pulse, which check (a stable name such as
/// <c>precommit</c> or <c>signature:ml-dsa-65</c>), and why.</summary>
public sealed record ChainCheckFailure(ulong Seq, string Check, string Detail)
{
    public override string ToString() => $"pulse {Seq}: {Check}: {Detail}";
}
