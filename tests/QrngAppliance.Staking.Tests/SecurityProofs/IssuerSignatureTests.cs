using System.Security.Cryptography;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Pricing;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Staking.Selection;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Staking.Tests.SecurityProofs;

/// <summary>
/// The issuer's signature over the whole proof: the one check a consistently rewritten validator set cannot pass.
/// HMAC stands in for the appliance's keys here (the service signs with Ed25519 and ML-DSA-65).
/// </summary>
public sealed class IssuerSignatureTests
{
    private static readonly byte[] s_key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task A_signed_proof_verifies_and_survives_a_json_round_trip()
    {
        var (proof, verifier) = await IssueAsync();

        Assert.NotNull(proof.IssuerSignatures);
        var read = SecurityProofJson.Read(SecurityProofJson.Write(proof));
        Assert.Equal(SecurityProofJson.Write(proof), SecurityProofJson.Write(read));
        var verdict = verifier.Verify(read);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
        Assert.Contains(verdict.Checks, c => c.Name == SecurityProofCheck.IssuerSignature && c.Passed);
    }

    [Fact]
    public async Task A_rewritten_validator_set_with_its_own_hash_and_selection_fails_only_the_issuer_signature()
    {
        var (proof, verifier) = await IssueAsync();
        var set = new ValidatorSet([new WeightedValidator("val-evil", 9_999)]);
        var forged = proof with
        {
            ValidatorSet = set,
            ValidatorSetHash = set.Hash,
            Validators = StakeWeightedSelection.Select(set, 1, proof.Consumption.Pulse.Pulse, proof.TxId),
        };

        var failed = verifier.Verify(forged).Checks.Where(c => !c.Passed).Select(c => c.Name);

        Assert.Equal([SecurityProofCheck.IssuerSignature], failed);
        Assert.Equal([SecurityProofCheck.IssuerSignature], verifier.Verify(proof with { IssuerSignatures = null }).Checks.Where(c => !c.Passed).Select(c => c.Name));
    }

    private static async Task<(SecurityProof Proof, SecurityProofVerifier Verifier)> IssueAsync()
    {
        var f = await ProofFixture.CreateAsync(validators: 3);
        var service = new SecurityProofService(SecurityPolicy.Default, f.Monitor, f.Registry.Registry, f.Pool, new InMemorySecurityProofStore(),
            new EntropyDemandTracker(TimeSpan.FromMinutes(1), f.Registry.Clock), SecurityProofOptions.Default, sign: Sign);
        var verifier = new SecurityProofVerifier(SecurityPolicy.Default, FakePool.BitsPerLeaf, f.Pool.VerifyAttestation, FakePool.VerifyInclusion,
            verifyIssuer: (bytes, signatures) => signatures.Single().Signature.AsSpan().SequenceEqual(HMACSHA256.HashData(s_key, bytes)) ? null : "hmac differs");
        return (await service.IssueAsync("tx-signed", TransactionValue.Parse("10")), verifier);
    }

    private static IReadOnlyList<AttestationSignature> Sign(byte[] bytes) => [new AttestationSignature("hmac-sha256", "k1", HMACSHA256.HashData(s_key, bytes))];
}
