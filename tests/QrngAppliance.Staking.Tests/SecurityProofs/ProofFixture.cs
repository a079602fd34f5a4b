using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Pricing;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.SecurityProofs;
using QrngAppliance.Staking.Tests.Registry;

namespace QrngAppliance.Staking.Tests.SecurityProofs;

/// <summary>A proof service over <see cref="FakePool"/> and a registry of <see cref="ValidatorCount"/> validators with unequal stakes.</summary>
internal sealed class ProofFixture
{
    public const int ValidatorCount = 20;

    private ProofFixture(RegistryFixture registry, SecurityProofOptions options)
    {
        Registry = registry;
        Pool = new FakePool(8192, registry.Clock);
        Monitor = new NetworkSecurityMonitor(EscalationOptions.Default, registry.Clock, Audit);
        Demand = new EntropyDemandTracker(TimeSpan.FromMinutes(1), registry.Clock);
        Service = new SecurityProofService(SecurityPolicy.Default, Monitor, registry.Registry, Pool, Store, Demand, options);
        Verifier = new SecurityProofVerifier(SecurityPolicy.Default, FakePool.BitsPerLeaf, Pool.VerifyAttestation, FakePool.VerifyInclusion,
            Pool.HasConsumptionRecord);
    }

    public RegistryFixture Registry { get; }

    public FakePool Pool { get; }

    public InMemorySecurityStateAuditLog Audit { get; } = new();

    public NetworkSecurityMonitor Monitor { get; }

    public EntropyDemandTracker Demand { get; }

    public InMemorySecurityProofStore Store { get; } = new();

    public SecurityProofService Service { get; }

    public SecurityProofVerifier Verifier { get; }

    public static async Task<ProofFixture> CreateAsync(int validators = ValidatorCount, SecurityProofOptions? options = null)
    {
        var registry = new RegistryFixture();
        for (var i = 0; i < validators; i++)
        {
            await registry.Registry.RegisterAsync(registry.Registration($"val-{i:D2}", i * 20L, stake: 1_000 + (ulong)(i * 500)));
        }

        return new ProofFixture(registry, options ?? SecurityProofOptions.Default);
    }
}
