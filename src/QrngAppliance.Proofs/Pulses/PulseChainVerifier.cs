using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Pulses;

/// <summary>Checks pulses offline: signatures against known keys, and the links between consecutive pulses.</summary>
public static class PulseChainVerifier
{
    /// <summary>Null when <paramref name="pulse"/> carries a valid Ed25519 signature by <paramref name="ed25519PublicKey"/>; else the reason.</summary>
    public static string? CheckSignature(Pulse pulse, ReadOnlySpan<byte> ed25519PublicKey)
    {
        var keyId = KeyIds.Of(Ed25519PulseSigner.AlgorithmName, ed25519PublicKey);
        var sig = pulse.Signatures.FirstOrDefault(s => s.Algorithm == Ed25519PulseSigner.AlgorithmName && s.KeyId.AsSpan().SequenceEqual(keyId));
        if (sig is null)
        {
            return $"pulse {pulse.Seq}: no ed25519 signature by key {Convert.ToHexStringLower(keyId)}";
        }

        byte[] signedBytes;
        try
        {
            signedBytes = PulseCodec.SignedBytes(pulse);
        }
        catch (ArgumentException e)
        {
            // An in-memory pulse with an unknown version, wrong hash length or state has no signed form:
            // report it like any other failure instead of throwing out of a verifier.
            return $"pulse {pulse.Seq}: cannot be encoded ({e.Message})";
        }

        return Ed25519.Verify(ed25519PublicKey, signedBytes, sig.Signature)
            ? null
            : $"pulse {pulse.Seq}: ed25519 signature does not verify";
    }

    /// <summary>Null when <paramref name="next"/> follows <paramref name="previous"/>; else the reason.</summary>
    public static string? CheckLink(Pulse previous, Pulse next)
    {
        if (previous.Seq == ulong.MaxValue || next.Seq != previous.Seq + 1) // no wrap-around to 0
        {
            return $"pulse {next.Seq}: expected seq {previous.Seq + 1}";
        }

        if (!next.PrevPulseHash.AsSpan().SequenceEqual(PulseCodec.Hash(previous)))
        {
            return $"pulse {next.Seq}: prev_pulse_hash does not match pulse {previous.Seq}";
        }

        if (next.Time < previous.Time)
        {
            return $"pulse {next.Seq}: time goes backwards";
        }

        if (next.TreeSize < previous.TreeSize)
        {
            return $"pulse {next.Seq}: tree shrank from {previous.TreeSize} to {next.TreeSize}";
        }

        return next.ApplianceId != previous.ApplianceId ? $"pulse {next.Seq}: appliance id changed" : null;
    }
}
