namespace QrngAppliance.Mining.Stratum;

/// <summary>Where a <see cref="PoolMiner"/> is: not running, opening a session, mining, or between attempts.</summary>
public enum PoolState
{
    Stopped,
    Connecting,
    Mining,
    Disconnected,
}
