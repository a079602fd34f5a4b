using System.Buffers.Binary;
using System.Numerics;

namespace QrngAppliance.Mining.Targets;

/// <summary>
/// A 256-bit proof-of-work target. A hash meets it when the hash, read as a little-endian 256-bit number (as
/// Bitcoin does: the displayed hash hex is the reversed digest), is at most the target.
/// </summary>
public sealed class Target : IEquatable<Target>
{
    /// <summary>Stratum and Bitcoin difficulty 1: 0x00000000FFFF0000…0 (0xFFFF · 2^208).</summary>
    public static readonly BigInteger DifficultyOneValue = new BigInteger(0xFFFF) << 208;

    private static readonly BigInteger s_max = (BigInteger.One << 256) - 1;

    private readonly byte[] _littleEndian;

    private Target(BigInteger value)
    {
        if (value.Sign < 0 || value > s_max)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a target is a 256-bit unsigned number");
        }

        Value = value;
        _littleEndian = new byte[32];
        value.TryWriteBytes(_littleEndian, out _, isUnsigned: true, isBigEndian: false);
    }

    public static Target DifficultyOne { get; } = new(DifficultyOneValue);

    public BigInteger Value { get; }

    /// <summary>The target's bytes 28..31 read little-endian: the cheap first test every kernel applies.</summary>
    public uint TopWord => BinaryPrimitives.ReadUInt32LittleEndian(_littleEndian.AsSpan(28));

    public ReadOnlySpan<byte> LittleEndian => _littleEndian;

    public static Target FromValue(BigInteger value) => new(value);

    /// <summary>Parses a target written as Bitcoin displays it: 64 hex digits, most significant first.</summary>
    public static Target FromDisplayHex(string hex)
    {
        if (hex.Length != 64)
        {
            throw new FormatException($"a target is 64 hex digits, got {hex.Length}");
        }

        return new(new BigInteger(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true));
    }

    /// <summary>
    /// Expands compact <c>nBits</c> (Bitcoin's <c>arith_uint256::SetCompact</c>): mantissa · 256^(exponent − 3).
    /// A set sign bit or a value beyond 256 bits is rejected, as consensus does.
    /// </summary>
    public static Target FromCompact(uint bits)
    {
        var exponent = (int)(bits >> 24);
        var mantissa = bits & 0x007FFFFF;
        if ((bits & 0x00800000) != 0 && mantissa != 0)
        {
            throw new ArgumentException($"compact bits 0x{bits:x8} are negative", nameof(bits));
        }

        var value = exponent <= 3
            ? new BigInteger(mantissa >> (8 * (3 - exponent)))
            : new BigInteger(mantissa) << (8 * (exponent - 3));
        if (value > s_max)
        {
            throw new ArgumentException($"compact bits 0x{bits:x8} overflow 256 bits", nameof(bits));
        }

        return new(value);
    }

    /// <summary>The compact form (<c>arith_uint256::GetCompact</c>); rounds down to 3 significant bytes.</summary>
    public uint ToCompact()
    {
        var size = Value.IsZero ? 0 : (int)((Value.GetBitLength() + 7) / 8);
        var compact = size <= 3 ? (uint)(Value << (8 * (3 - size))) : (uint)(Value >> (8 * (size - 3)));

        // The mantissa's top bit is a sign bit: shift one byte further rather than go negative.
        if ((compact & 0x00800000) != 0)
        {
            compact >>= 8;
            size++;
        }

        return compact | ((uint)size << 24);
    }

    /// <summary>The share target of a Stratum difficulty: DifficultyOne / difficulty, capped at 2^256 − 1.</summary>
    public static Target FromDifficulty(double difficulty)
    {
        if (!double.IsFinite(difficulty) || difficulty <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(difficulty), difficulty, "difficulty must be a positive number");
        }

        // Scale by 2^64 so fractional difficulties (pools send 0.01) keep their precision in integer division.
        var scaled = new BigInteger(difficulty * Math.Pow(2, 64));
        if (scaled.IsZero)
        {
            return new(s_max);
        }

        var value = (DifficultyOneValue << 64) / scaled;
        return new(BigInteger.Min(value, s_max));
    }

    /// <summary>DifficultyOne / target.</summary>
    public double ToDifficulty() => Value.IsZero ? double.PositiveInfinity : Ratio(DifficultyOneValue, Value);

    /// <summary>The difficulty a hash achieves (DifficultyOne / hash), as pools report share difficulty.</summary>
    public static double DifficultyOf(ReadOnlySpan<byte> hashLittleEndian)
    {
        var hash = new BigInteger(hashLittleEndian, isUnsigned: true, isBigEndian: false);
        return hash.IsZero ? double.PositiveInfinity : Ratio(DifficultyOneValue, hash);
    }

    /// <summary>True when the little-endian <paramref name="hash"/> is at most this target.</summary>
    public bool IsMetBy(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException("a hash is 32 bytes", nameof(hash));
        }

        for (var i = 31; i >= 0; i--)
        {
            if (hash[i] != _littleEndian[i])
            {
                return hash[i] < _littleEndian[i];
            }
        }

        return true;
    }

    /// <summary>The target as Bitcoin displays it: 64 hex digits, most significant first.</summary>
    public override string ToString()
    {
        var bigEndian = _littleEndian.ToArray();
        Array.Reverse(bigEndian);
        return Convert.ToHexStringLower(bigEndian);
    }

    public bool Equals(Target? other) => other is not null && Value == other.Value;

    public override bool Equals(object? obj) => Equals(obj as Target);

    public override int GetHashCode() => Value.GetHashCode();

    private static double Ratio(BigInteger numerator, BigInteger denominator) =>
        Math.Exp(BigInteger.Log(numerator) - BigInteger.Log(denominator));
}
