using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Pricing;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Registry;
using QrngAppliance.Staking.Selection;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.SecurityProofs;

/// <summary>
/// <c>POST /v1/security/proofs {tx_id, value}</c>: quotes the value under the current network state, consumes that
/// much attested entropy once (bound to the tx id), selects validators from the pulse it consumed under, and stores
/// the proof; replaying a tx id returns the stored proof unchanged.
/// </summary>
public sealed class SecurityProofService
{
    private readonly SecurityPolicy _policy;
    private readonly NetworkSecurityMonitor _monitor;
    private readonly ValidatorRegistry _registry;
    private readonly IEntropyConsumer _consumer;
    private readonly ISecurityProofStore _store;
    private readonly EntropyDemandTracker _demand;
    private readonly SecurityProofOptions _options;
    private readonly StakingMetrics? _metrics;
    private readonly ProofSigner? _sign;

    // One issuance at a time: the replay check, the consumption and the store write must not interleave for a tx id.
    private readonly SemaphoreSlim _issuing = new(1, 1);

    public SecurityProofService(
        SecurityPolicy policy,
        NetworkSecurityMonitor monitor,
        ValidatorRegistry registry,
        IEntropyConsumer consumer,
        ISecurityProofStore store,
        EntropyDemandTracker demand,
        SecurityProofOptions options,
        StakingMetrics? metrics = null,
        ProofSigner? sign = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(options);
        _policy = policy;
        _monitor = monitor;
        _registry = registry;
        _consumer = consumer;
        _store = store;
        _demand = demand;
        _options = options;
        _metrics = metrics;
        _sign = sign;
    }

    /// <summary><c>POST /v1/security/quote {value}</c>: what a proof would cost now, consuming nothing.</summary>
    public SecurityQuote Quote(TransactionValue value) => _policy.Quote(value, _monitor.State);

    public async Task<SecurityProof> IssueAsync(string txId, TransactionValue value, CancellationToken cancellationToken = default)
    {
        CheckTxId(txId);
        await _issuing.WaitAsync(cancellationToken);
        try
        {
            if (await _store.GetAsync(txId, cancellationToken) is { } existing)
            {
                return existing.Value == value
                    ? existing
                    : throw new SecurityProofException(SecurityProofErrorKind.Conflict,
                        $"tx_id {txId} already has a proof for value {existing.Value}, not {value}");
            }

            var quote = Quote(value);
            if (quote.EntropyBits > _options.MaxBitsPerProof)
            {
                throw new SecurityProofException(SecurityProofErrorKind.Invalid,
                    $"entropy cost {quote.EntropyBits} bits exceeds the per-proof limit of {_options.MaxBitsPerProof} bits");
            }

            // Check the validators before spending entropy: a proof that cannot be completed must not burn leaves.
            var set = await _registry.ActiveSetAsync(cancellationToken);
            if (set.Members.Count < quote.Validators)
            {
                throw new SecurityProofException(SecurityProofErrorKind.Unavailable,
                    $"{quote.Tier} needs {quote.Validators} validators but only {set.Members.Count} are active");
            }

            var bits = (long)quote.EntropyBits;
            var requestId = SecurityProof.RequestIdFor(txId);
            var consumption = await _consumer.ConsumeAsync(requestId, bits, cancellationToken);
            if (consumption.RequestId != requestId || consumption.Bits < bits)
            {
                throw new SecurityProofException(SecurityProofErrorKind.Unavailable,
                    $"the ledger returned {consumption.Bits} bits for {consumption.RequestId}, not {bits} for {requestId}");
            }

            var validators = StakeWeightedSelection.Select(set, quote.Validators, consumption.Pulse.Pulse, txId);
            var proof = new SecurityProof(SecurityProof.CurrentVersion, txId, value, quote.State, quote.CostFunction, quote.Tier,
                quote.Validators, bits, validators, set.Hash, set, consumption);
            if (_sign is not null)
            {
                proof = proof with { IssuerSignatures = _sign(SecurityProofJson.SignedBytes(proof)) };
            }

            if (!await _store.TryAddAsync(proof, cancellationToken))
            {
                throw new SecurityProofException(SecurityProofErrorKind.Conflict, $"tx_id {txId} was proven concurrently");
            }

            _monitor.ObserveTransaction(value);
            _demand.Record(bits);
            _metrics?.ProofIssued(bits);
            return proof;
        }
        finally
        {
            _issuing.Release();
        }
    }

    /// <summary><c>GET /v1/security/proofs/{tx_id}</c>: the proof issued for <paramref name="txId"/>, or null.</summary>
    /// <exception cref="SecurityProofException">The tx id breaks the rule <see cref="IssueAsync"/> applies (Invalid).</exception>
    public async Task<SecurityProof?> FindAsync(string txId, CancellationToken cancellationToken = default)
    {
        CheckTxId(txId);
        return await _store.GetAsync(txId, cancellationToken);
    }

    private void CheckTxId(string? txId)
    {
        if (!SecurityProof.IsWellFormedTxId(txId, _options.MaxTxIdLength))
        {
            throw new SecurityProofException(SecurityProofErrorKind.Invalid,
                $"tx_id must be 1-{_options.MaxTxIdLength} printable ASCII characters without spaces");
        }
    }
}
