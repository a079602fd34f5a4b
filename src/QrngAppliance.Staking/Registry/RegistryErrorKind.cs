namespace QrngAppliance.Staking.Registry;

/// <summary>How the API maps a <see cref="ValidatorRegistryException"/>: 400, 404 or 409.</summary>
public enum RegistryErrorKind
{
    Invalid,
    NotFound,
    Conflict,
}
