namespace QrngAppliance.Entropy.Drbg;

/// <summary>Why a DRBG asks for a fresh block, so the supplier can tell what waits on it.</summary>
public enum ReseedNeed
{
    /// <summary>The DRBG was never seeded: the request fails without a block.</summary>
    Instantiate,

    /// <summary>The seed is past its hard bound: the request fails without a block.</summary>
    Required,

    /// <summary>A reseed is due (soft bound), but the current seed may still serve this request.</summary>
    Due,
}
