using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Selection;
using QrngAppliance.Staking.Tiers;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>
/// The seed's <c>QuantumSecurityProof</c> for one transaction (entropy, tier, validators,
/// hardware attestation, timestamp, Merkle proof), plus what a verifier needs to redo each step offline.
/// </summary>
/// <param name="EntropyConsumed">Bits the quote required (the consumption may cover more, in whole leaves).</param>
/// <param name="Validators">Selected validator ids, in draw order.</param>
/// <param name="ValidatorSetHash">The hash the issuer recorded for the set the validators were drawn from (it seeds the selection).</param>
/// <param name="ValidatorSet">
/// That candidate set itself, embedded so anyone can redo the selection from the proof alone; a verifier checks that
/// it hashes to <paramref name="ValidatorSetHash"/>.
/// </param>
/// <param name="Consumption">Leaves, inclusion proofs (the Merkle proof), signed pulse (the hardware attestation) and time.</param>
/// <param name="IssuerSignatures">
/// The issuing appliance's signatures (its pulse keys) over <see cref="SecurityProofJson.SignedBytes"/>: they commit the
/// whole proof, including the validator set and the consumption, which the pulse alone does not sign.
/// </param>
public sealed record SecurityProof(
    int Version,
    string TxId,
    TransactionValue Value,
    NetworkSecurityState State,
    string CostFunction,
    SecurityTier SecurityTier,
    int ValidatorsRequired,
    long EntropyConsumed,
    IReadOnlyList<string> Validators,
    byte[] ValidatorSetHash,
    ValidatorSet ValidatorSet,
    EntropyConsumption Consumption,
    IReadOnlyList<AttestationSignature>? IssuerSignatures = null)
{
    /// <summary>
    /// Version 2 writes the quote's fields as the quote does everywhere (<c>tier</c>, <c>tier_level</c>,
    /// <c>entropy_bits</c> as a decimal string); version 1 (<see cref="SeedShapeVersion"/>) wrote the seed's names
    /// (<c>security_tier</c>, <c>entropy_consumed</c> as a number). Both are read and verified.
    /// </summary>
    public const int CurrentVersion = 2;

    public const int SeedShapeVersion = 1;

    /// <summary>When the entropy was consumed.</summary>
    public DateTimeOffset Timestamp => Consumption.ConsumedAt;

    /// <summary>
    /// A tx id as proofs accept it: 1 to <paramref name="maxLength"/> printable ASCII characters without spaces (a
    /// chain's own transaction id format, which may hold '/', '+' or '#').
    /// </summary>
    public static bool IsWellFormedTxId(string? txId, int maxLength) =>
        !string.IsNullOrEmpty(txId) && txId.Length <= maxLength && txId.All(c => c is > ' ' and <= '~');

    /// <summary>The consumption request id a proof for <paramref name="txId"/> uses in the once-only ledger.</summary>
    public static string RequestIdFor(string txId) => "security-proof:" + txId;
}
