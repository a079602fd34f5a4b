namespace QrngAppliance.Proofs.Pulses;

/// <summary>A skip-link: the seq and hash (SHA-256 of the signed bytes) of an earlier pulse.</summary>
public sealed record PulseLink(ulong Seq, byte[] Hash)
{
    /// <summary>Seq 0 with a zero hash: the placeholder of a version 1 pulse.</summary>
    public static PulseLink None { get; } = new(0, new byte[32]);

    /// <summary>The link a pulse puts in when it is itself the first of its hour or day (its own hash is unknowable).</summary>
    public static PulseLink Self(ulong seq) => new(seq, new byte[32]);

    public bool IsSelf(ulong seq) => Seq == seq && Hash.AsSpan().IndexOfAnyExcept((byte)0) < 0;
}
