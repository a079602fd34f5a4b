namespace QrngAppliance.Staking.Registry;

/// <summary>A registry request that cannot be carried out; the message is one line naming the rule broken.</summary>
public sealed class ValidatorRegistryException(RegistryErrorKind kind, string message) : InvalidOperationException(message)
{
    public RegistryErrorKind Kind { get; } = kind;
}
