using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace QrngAppliance.Proofs.Pulses;

/// <summary>Checks pulses offline: signatures against known keys, and the links between consecutive pulses.</summary>
public static class PulseChainVerifier
{
    /// <summary>
    /// Checks a run of consecutive version 2 pulses against the chain info that pins their root of trust: both
    /// signatures of every pulse, chain_info_hash, seq and prev_pulse_hash links, time and tree monotonicity,
    /// the reveal of each precommitment, the hour and day skip-links, and key rotations (a rotation pulse,
    /// signed by the old keys, switches the expected keys and chain info for the pulses after it). Stops at the
    /// first failure. The run may start anywhere at or after the genesis; links to pulses before the run are
    /// checked only for plausibility.
    /// </summary>
    public static ChainVerification VerifyChain(IReadOnlyList<Pulse> pulses, ChainInfo chainInfo) =>
        Walk(pulses, chainInfo, chainInfo.Keys);

    /// <summary>
    /// Like <see cref="VerifyChain(IReadOnlyList{Pulse}, ChainInfo)"/> with only the public keys known: the
    /// chain_info_hash is taken from the first pulse and must stay constant between rotations, and the genesis
    /// rules are not applied.
    /// </summary>
    public static ChainVerification VerifyChain(IReadOnlyList<Pulse> pulses, IReadOnlyList<PulseKey> keys) =>
        Walk(pulses, null, keys);

    private static ChainVerification Walk(IReadOnlyList<Pulse> pulses, ChainInfo? info, IReadOnlyList<PulseKey> initialKeys)
    {
        PulseKeySet keys;
        try
        {
            keys = new PulseKeySet(initialKeys);
        }
        catch (ArgumentException e)
        {
            return new ChainVerification(new ChainCheckFailure(pulses.Count > 0 ? pulses[0].Seq : 0, "keys", e.Message), 0, 0);
        }

        var prepared = Prepare(pulses, keys);
        var expectedInfoHash = info is null ? null : ChainInfoCodec.Hash(info);
        var rotations = 0;
        Pulse? previous = null;
        byte[]? previousHash = null;
        for (var i = 0; i < pulses.Count; i++)
        {
            var pulse = pulses[i];
            var failure = CheckOne(pulse, previous, previousHash, info, prepared[i], ref expectedInfoHash);
            if (failure is not null)
            {
                return new ChainVerification(failure, i, rotations);
            }

            if (pulse.RotateTo is { } newKeys)
            {
                if (prepared[i].RotationFailure is { } bad)
                {
                    return new ChainVerification(new ChainCheckFailure(pulse.Seq, "rotation", bad), i, rotations);
                }

                rotations++;
                if (info is not null)
                {
                    info = info with { Keys = newKeys };
                    expectedInfoHash = ChainInfoCodec.Hash(info);
                }
                else
                {
                    expectedInfoHash = null; // unknown until the next pulse states it
                }
            }

            previous = pulse;
            previousHash = SHA256.HashData(prepared[i].SignedBytes!);
        }

        return new ChainVerification(null, pulses.Count, rotations);
    }

    /// <summary>One pulse made ready for the walk: its signed bytes (or why it has none), the keys in force and the
    /// verdict on its signatures.</summary>
    private sealed class Prepared(PulseKeySet keys, string? rotationFailure)
    {
        public PulseKeySet Keys { get; } = keys;

        public string? RotationFailure { get; } = rotationFailure;

        public byte[]? SignedBytes { get; set; }

        public string? EncodingFailure { get; set; }

        public (string Check, string Detail)? SignatureFailure { get; set; }
    }

    /// <summary>
    /// Works out the keys in force at each pulse, in order (a rotation record switches them for the pulses after it),
    /// then encodes and checks the signatures of every pulse. Whether a rotation was authorised (its own signatures
    /// verify) is decided in the walk, which stops at the first failure, so keys taken from an unauthorised rotation
    /// are never relied on.
    /// </summary>
    private static Prepared[] Prepare(IReadOnlyList<Pulse> pulses, PulseKeySet initial)
    {
        var prepared = new Prepared[pulses.Count];
        var keys = initial;
        for (var i = 0; i < pulses.Count; i++)
        {
            string? rotationFailure = null;
            var next = keys;
            if (pulses[i].RotateTo is { } newKeys)
            {
                try
                {
                    next = new PulseKeySet(newKeys);
                }
                catch (ArgumentException e)
                {
                    rotationFailure = e.Message;
                }
            }

            prepared[i] = new Prepared(keys, rotationFailure);
            keys = next;
        }

        // Encoding and the two signature checks are independent per pulse and are nearly all of a chain's cost, so
        // they run on every core; the links are then walked in order.
        if (pulses.Count < 64)
        {
            for (var i = 0; i < pulses.Count; i++)
            {
                EncodeAndCheck(pulses[i], prepared[i]);
            }
        }
        else
        {
            Parallel.ForEach(Partitioner.Create(0, pulses.Count, 256), range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    EncodeAndCheck(pulses[i], prepared[i]);
                }
            });
        }

        return prepared;
    }

    private static void EncodeAndCheck(Pulse pulse, Prepared prepared)
    {
        if (pulse.Version != Pulse.V2)
        {
            return;
        }

        try
        {
            prepared.SignedBytes = PulseCodec.SignedBytes(pulse);
        }
        catch (ArgumentException e)
        {
            prepared.EncodingFailure = e.Message;
            return;
        }

        prepared.SignatureFailure = prepared.Keys.Check(pulse, prepared.SignedBytes);
    }

    private static ChainCheckFailure? CheckOne(
        Pulse pulse, Pulse? previous, byte[]? previousHash, ChainInfo? info, Prepared prepared, ref byte[]? expectedInfoHash)
    {
        ChainCheckFailure Fail(string check, string detail) => new(pulse.Seq, check, detail);
        if (pulse.Version != Pulse.V2)
        {
            return Fail("version", $"version {pulse.Version} pulses are not part of a hybrid-signed chain");
        }

        if (prepared.EncodingFailure is { } encoding)
        {
            return Fail("encoding", encoding);
        }

        if (prepared.SignatureFailure is { } bad)
        {
            return Fail(bad.Check, bad.Detail);
        }

        if (expectedInfoHash is null)
        {
            expectedInfoHash = pulse.ChainInfoHash;
        }
        else if (!pulse.ChainInfoHash.AsSpan().SequenceEqual(expectedInfoHash))
        {
            return Fail("chain-info", $"chain_info_hash {Convert.ToHexStringLower(pulse.ChainInfoHash)} is not the expected {Convert.ToHexStringLower(expectedInfoHash)}");
        }

        var isGenesis = false;
        if (info is not null)
        {
            if (pulse.ApplianceId != info.ApplianceId)
            {
                return Fail("appliance-id", $"'{pulse.ApplianceId}' is not the chain's '{info.ApplianceId}'");
            }

            if (pulse.Seq < info.GenesisSeq)
            {
                return Fail("genesis", $"seq is before the chain's genesis seq {info.GenesisSeq}");
            }

            isGenesis = pulse.Seq == info.GenesisSeq;
            if (isGenesis && pulse.Time < info.GenesisTime)
            {
                return Fail("genesis", "the genesis pulse is older than the chain's genesis time");
            }
        }

        if (previous is null || isGenesis)
        {
            return CheckFirstLinks(pulse, info, isGenesis);
        }

        if (previous.Seq == ulong.MaxValue || pulse.Seq != previous.Seq + 1)
        {
            return Fail("seq", $"expected seq {previous.Seq + 1}");
        }

        if (!pulse.PrevPulseHash.AsSpan().SequenceEqual(previousHash))
        {
            return Fail("prev-hash", $"prev_pulse_hash does not match pulse {previous.Seq}");
        }

        if (pulse.ApplianceId != previous.ApplianceId)
        {
            return Fail("appliance-id", "appliance id changed");
        }

        if (pulse.Time < previous.Time)
        {
            return Fail("time", "time goes backwards");
        }

        if (pulse.TreeSize < previous.TreeSize)
        {
            return Fail("tree-size", $"tree shrank from {previous.TreeSize} to {pulse.TreeSize}");
        }

        if (!SHA512.HashData(pulse.LocalRandom).AsSpan().SequenceEqual(previous.Precommit))
        {
            return Fail("precommit", $"SHA-512(local_random) is not pulse {previous.Seq}'s precommitment");
        }

        if (CheckSkipLink(pulse, previous, previousHash!, pulse.HourLink, previous.HourLink, SameHour) is { } hour)
        {
            return Fail("hour-link", hour);
        }

        return CheckSkipLink(pulse, previous, previousHash!, pulse.DayLink, previous.DayLink, SameDay) is { } day ? Fail("day-link", day) : null;
    }

    /// <summary>
    /// The skip-link a pulse must carry given the one before it: the predecessor's anchor when both fall in the
    /// same hour (day), the pulse itself (own seq, zero hash) when it opens a new one.
    /// </summary>
    public static PulseLink ExpectedSkipLink(Pulse previous, byte[] previousHash, PulseLink previousLink, ulong seq, bool samePeriod) =>
        !samePeriod ? PulseLink.Self(seq)
        : previousLink.IsSelf(previous.Seq) ? new PulseLink(previous.Seq, previousHash)
        : previousLink;

    public static bool SameHour(DateTimeOffset a, DateTimeOffset b) =>
        a.UtcTicks / TimeSpan.TicksPerHour == b.UtcTicks / TimeSpan.TicksPerHour;

    public static bool SameDay(DateTimeOffset a, DateTimeOffset b) =>
        a.UtcTicks / TimeSpan.TicksPerDay == b.UtcTicks / TimeSpan.TicksPerDay;

    private static string? CheckSkipLink(Pulse pulse, Pulse previous, byte[] previousHash, PulseLink link, PulseLink previousLink, Func<DateTimeOffset, DateTimeOffset, bool> samePeriod)
    {
        var expected = ExpectedSkipLink(previous, previousHash, previousLink, pulse.Seq, samePeriod(previous.Time, pulse.Time));
        return link.Seq == expected.Seq && link.Hash.AsSpan().SequenceEqual(expected.Hash)
            ? null
            : $"links to seq {link.Seq} hash {Convert.ToHexStringLower(link.Hash)[..16]}…, expected seq {expected.Seq} hash {Convert.ToHexStringLower(expected.Hash)[..16]}…";
    }

    private static ChainCheckFailure? CheckFirstLinks(Pulse pulse, ChainInfo? info, bool isGenesis)
    {
        var genesisSeq = info?.GenesisSeq ?? 0;
        foreach (var (check, link) in new[] { ("hour-link", pulse.HourLink), ("day-link", pulse.DayLink) })
        {
            if (isGenesis ? !link.IsSelf(pulse.Seq) : link.Seq > pulse.Seq || link.Seq < genesisSeq || (link.Seq == pulse.Seq && !link.IsSelf(pulse.Seq)))
            {
                return new ChainCheckFailure(pulse.Seq, check, $"links to seq {link.Seq}, which cannot be the first pulse of its period");
            }
        }

        return null;
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
