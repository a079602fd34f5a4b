using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Pipeline;

/// <summary>What a <see cref="PulseChain"/> is configured with.</summary>
/// <param name="StateDirectory">Where <c>chain-info.bin</c> lives (the data folder).</param>
/// <param name="LocalRandomKey">32 secret bytes from which each pulse's local random value is derived (see <see cref="PulseChain"/>).</param>
/// <param name="ProfileHashes">SHA-256 of each source's firmware-profile file; carried in every pulse.</param>
/// <param name="Quoter">Quotes pulses with the TPM; null when pulses are not quoted (the chain info is then version 1).</param>
public sealed record PulseChainSettings(
    string ApplianceId,
    TimeSpan Period,
    string StateDirectory,
    byte[] LocalRandomKey,
    IReadOnlyList<ProfileHash> ProfileHashes,
    IPulseQuoter? Quoter = null);
