using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Proofs.Tests.Pulses;

/// <summary>The TPM quote after a pulse's signatures, and chain info version 2 with its TPM part (docs/proof-format.md).</summary>
public sealed class TpmQuoteEncodingTests
{
    private static readonly PulseTpmQuote s_quote = new([0xFF, 0x54, 0x43, 0x47, 1, 2, 3], [0x00, 0x18, 9, 9], [new byte[32], Enumerable.Repeat((byte)7, 32).ToArray()]);

    private static readonly ChainTpmAttestation s_tpm = new([0x00, 0x23, 0x00, 0x0B, 1, 2, 3], 0x000B, [0, 16], 3);

    [Fact]
    public void A_quote_rides_after_the_signatures_and_changes_neither_the_signed_bytes_nor_the_randomness()
    {
        var pulse = PulseFactory.Sign(PulseFactory.Unsigned(4));
        var plain = PulseCodec.Encode(pulse);
        var quoted = PulseCodec.Encode(pulse with { TpmQuote = s_quote });

        // The stored form of an unquoted pulse is unchanged; a quoted one is that form plus the quote.
        Assert.Equal(plain, quoted[..plain.Length]);
        Assert.Equal(1, quoted[plain.Length]);
        var decoded = PulseCodec.Decode(quoted);
        Assert.Equal(s_quote.Attest, decoded.TpmQuote!.Attest);
        Assert.Equal(s_quote.Signature, decoded.TpmQuote.Signature);
        Assert.Equal(s_quote.PcrValues, decoded.TpmQuote.PcrValues);
        Assert.Equal(PulseCodec.Hash(pulse), PulseCodec.Hash(decoded));
        Assert.Equal(PulseCodec.Randomness(pulse), PulseCodec.Randomness(decoded));
        Assert.Null(PulseCodec.Decode(plain).TpmQuote);
    }

    [Fact]
    public void A_quote_tag_other_than_1_or_a_truncated_quote_is_a_format_error()
    {
        var quoted = PulseCodec.Encode(PulseFactory.Sign(PulseFactory.Unsigned(4)) with { TpmQuote = s_quote });
        var plainLength = PulseCodec.Encode(PulseFactory.Sign(PulseFactory.Unsigned(4))).Length;

        var wrongTag = (byte[])quoted.Clone();
        wrongTag[plainLength] = 2;
        Assert.Throws<FormatException>(() => PulseCodec.Decode(wrongTag));
        for (var length = plainLength + 1; length < quoted.Length; length++)
        {
            Assert.Throws<FormatException>(() => PulseCodec.Decode(quoted.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Chain_info_without_a_TPM_part_stays_version_1_byte_for_byte()
    {
        var info = HybridChainFactory.Info();
        var encoded = ChainInfoCodec.Encode(info);

        Assert.Equal(ChainInfo.CurrentVersion, encoded[ChainInfoCodec.Magic.Length]);
        Assert.Null(ChainInfoCodec.Decode(encoded).TpmAttestation);
        Assert.Equal(encoded, ChainInfoCodec.Encode(ChainInfoCodec.Decode(encoded)));
    }

    [Fact]
    public void Chain_info_version_2_carries_the_AK_PCRs_and_schedule()
    {
        var info = HybridChainFactory.Info() with { Version = ChainInfo.WithTpmAttestation, TpmAttestation = s_tpm };
        var encoded = ChainInfoCodec.Encode(info);
        var decoded = ChainInfoCodec.Decode(encoded);

        Assert.Equal(2, encoded[ChainInfoCodec.Magic.Length]);
        Assert.True(s_tpm.SameAs(decoded.TpmAttestation));
        Assert.Equal(encoded, ChainInfoCodec.Encode(decoded));
        Assert.NotEqual(ChainInfoCodec.Hash(HybridChainFactory.Info()), ChainInfoCodec.Hash(info));
        // Rotation keeps the TPM part: only the keys change.
        Assert.True(s_tpm.SameAs(ChainInfoCodec.Decode(ChainInfoCodec.Encode(info with { Keys = info.Keys })).TpmAttestation));
    }

    [Fact]
    public void A_version_that_does_not_match_the_TPM_part_is_refused()
    {
        var v1 = HybridChainFactory.Info();
        Assert.Throws<ArgumentException>(() => ChainInfoCodec.Encode(v1 with { TpmAttestation = s_tpm }));
        Assert.Throws<ArgumentException>(() => ChainInfoCodec.Encode(v1 with { Version = ChainInfo.WithTpmAttestation }));
        Assert.Throws<ArgumentException>(() => ChainInfoCodec.Encode(v1 with { Version = 2, TpmAttestation = s_tpm with { QuoteEvery = 0 } }));

        // A version 1 encoding relabelled as version 2 lacks the TPM part.
        var relabelled = ChainInfoCodec.Encode(v1);
        relabelled[ChainInfoCodec.Magic.Length] = 2;
        Assert.Throws<FormatException>(() => ChainInfoCodec.Decode(relabelled));
    }

    [Theory]
    [InlineData(5UL, 5UL, 3u, true)]
    [InlineData(6UL, 5UL, 3u, false)]
    [InlineData(8UL, 5UL, 3u, true)]
    [InlineData(4UL, 5UL, 1u, false)]
    [InlineData(9UL, 5UL, 1u, true)]
    public void The_schedule_counts_from_the_genesis_pulse(ulong seq, ulong genesis, uint every, bool quoted) =>
        Assert.Equal(quoted, (s_tpm with { QuoteEvery = every }).IsQuoted(seq, genesis));
}
