namespace QrngAppliance.Devices.Tpm;

/// <summary>
/// The appliance's attestation key (AK): a restricted signing primary key of the endorsement hierarchy
/// (<see cref="TpmAttestationKeyTemplate"/>), kept at a persistent handle so quotes need no key load.
/// </summary>
/// <param name="Handle">The persistent handle (0x81xxxxxx) quotes are made with.</param>
/// <param name="Public">Its public part; <see cref="TpmPublicKey.PublicArea"/> is what a chain info pins.</param>
/// <param name="Created">True when this call persisted it, false when it was already there.</param>
public sealed record TpmAttestationKey(uint Handle, TpmPublicKey Public, bool Created)
{
    /// <summary>
    /// Makes sure <paramref name="persistentHandle"/> holds this TPM's AK of <paramref name="type"/> (TPM_ALG_ECC:
    /// P-256, TPM_ALG_RSA: RSA-2048). A primary key is a function of the hierarchy seed and the template, so
    /// <c>TPM2_CreatePrimary</c> re-derives the AK's public part each start; a persistent key with the same Name is
    /// reused, a free handle gets the new key (<c>TPM2_EvictControl</c>), and a handle holding any other key is an
    /// error: the appliance never evicts a key it did not make.
    /// </summary>
    public static async Task<TpmAttestationKey> EnsurePersistentAsync(TpmClient client, uint persistentHandle, TpmAlgorithm type,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (persistentHandle >> 24 != 0x81)
        {
            throw new ArgumentOutOfRangeException(nameof(persistentHandle), $"0x{persistentHandle:X8} is not a persistent handle (0x81xxxxxx)");
        }

        var (transient, derived) = await client.CreatePrimaryAsync(TpmClient.EndorsementHierarchy, TpmAttestationKeyTemplate.For(type), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            TpmPublicKey? present;
            try
            {
                present = await client.ReadPublicAsync(persistentHandle, cancellationToken).ConfigureAwait(false);
            }
            catch (TpmException e) when (e.ResponseCode is { } rc && TpmResponseCode.IsHandleError(rc))
            {
                present = null;
            }

            if (present is null)
            {
                await client.EvictControlAsync(transient, persistentHandle, cancellationToken).ConfigureAwait(false);
                return new TpmAttestationKey(persistentHandle, derived, Created: true);
            }

            if (!present.Name.AsSpan().SequenceEqual(derived.Name))
            {
                throw new TpmException(TpmCommandCode.EvictControl,
                    $"persistent handle 0x{persistentHandle:X8} holds another key (name {Convert.ToHexStringLower(present.Name)}), not the " +
                    $"{(type == TpmAlgorithm.Ecc ? "ECC P-256" : "RSA-2048")} attestation key (name {Convert.ToHexStringLower(derived.Name)}); configure another handle, or free this one with " +
                    $"`tpm2_evictcontrol -C o -c 0x{persistentHandle:x8}` if nothing else uses it");
            }

            return new TpmAttestationKey(persistentHandle, present, Created: false);
        }
        finally
        {
            // The persistent copy is what quotes use; the transient one would only hold a TPM object slot.
            await client.FlushContextAsync(transient, cancellationToken).ConfigureAwait(false);
        }
    }
}
