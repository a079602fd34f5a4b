namespace QrngAppliance.Mining.Stratum;

/// <summary>No pool of the list gave a working session within <see cref="PoolMinerOptions.GiveUpWithoutSession"/>.</summary>
public sealed class PoolUnreachableException(string message) : Exception(message);
