using System.Security.Cryptography;
using QrngAppliance.Staking.Attestation;
using QrngAppliance.Staking.Ledger;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.Staking.Tests.Registry;

/// <summary>A registry over an in-memory pool of 1000 leaves with one published root and a scripted attestation verifier.</summary>
internal sealed class RegistryFixture
{
    public const long PoolLeaves = 1000;

    public RegistryFixture(RegistryOptions? options = null)
    {
        Ledger.Publish(Root, PoolLeaves);
        Registry = new ValidatorRegistry(Store, Ledger, Verify, options ?? RegistryOptions.Default, Clock);
    }

    public ManualClock Clock { get; } = new();

    public InMemoryEntropyLeafLedger Ledger { get; } = new();

    public InMemoryValidatorRegistryStore Store { get; } = new();

    public ValidatorRegistry Registry { get; }

    public byte[] Root { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>How old the verifier says the attestation pulse is.</summary>
    public TimeSpan PulseAge { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Signature bytes the verifier rejects (stands in for a forged signature).</summary>
    public static byte[] Forged { get; } = [0xBA, 0xD0];

    private AttestationVerdict Verify(HardwareAttestation attestation) =>
        attestation.Signatures.Any(s => s.Signature.AsSpan().SequenceEqual(Forged))
            ? AttestationVerdict.Invalid("ed25519 signature does not verify under key k1")
            : AttestationVerdict.Valid(Clock.GetUtcNow() - PulseAge);

    public static HardwareAttestation Attestation(string applianceId) =>
        new(applianceId, [1, 2, 3, 4],
        [
            new AttestationSignature("ed25519", "k1", [5, 6]),
            new AttestationSignature("ml-dsa-65", "k2", [7, 8]),
        ]);

    public ValidatorRegistration Registration(string id, long firstLeaf, int leafCount = 16, ulong stake = 5_000) =>
        new(id, stake, new EntropyStakeCommitment(Root, PoolLeaves, [.. Enumerable.Range(0, leafCount).Select(i => firstLeaf + i)]),
            Attestation("appliance-" + id));

    public async Task<IReadOnlyList<LeafState>> AllLeafStatesAsync()
    {
        var states = new List<LeafState>();
        for (var leaf = 0L; leaf < PoolLeaves; leaf++)
        {
            states.Add(await Ledger.StateAsync(leaf));
        }

        return states;
    }
}
