using System.Text;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>The public interface: sizes, round trips, rejections and argument checks.</summary>
public sealed class MlDsaSchemeTests
{
    private static readonly byte[] s_context = Encoding.ASCII.GetBytes("qrng-pulse-v1");

    public static TheoryData<string> ParameterSets => ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"];

    [Theory]
    [InlineData("ML-DSA-44", 1312, 2560, 2420)]
    [InlineData("ML-DSA-65", 1952, 4032, 3309)]
    [InlineData("ML-DSA-87", 2592, 4896, 4627)]
    public void Sizes_follow_fips_204_table_2(string name, int pk, int sk, int sig)
    {
        MlDsaScheme scheme = Scheme(name);
        MlDsaKeyPair keys = scheme.GenerateKeyPair(new byte[32]);

        Assert.Equal((pk, sk, sig), (scheme.Parameters.PublicKeyBytes, scheme.Parameters.SecretKeyBytes, scheme.Parameters.SignatureBytes));
        Assert.Equal(pk, keys.PublicKey.Length);
        Assert.Equal(sk, keys.SecretKey.Length);
        Assert.Equal(sig, scheme.SignDeterministic(keys.SecretKey, [], []).Length);
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void Signatures_verify_only_for_the_same_key_message_and_context(string name)
    {
        MlDsaScheme scheme = Scheme(name);
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(1));
        MlDsaKeyPair other = scheme.GenerateKeyPair(Seed(2));
        byte[] message = Encoding.UTF8.GetBytes("pulse 42");

        byte[] signature = scheme.SignDeterministic(keys.SecretKey, message, s_context);

        Assert.True(scheme.Verify(keys.PublicKey, message, s_context, signature));
        Assert.False(scheme.Verify(other.PublicKey, message, s_context, signature));
        Assert.False(scheme.Verify(keys.PublicKey, Encoding.UTF8.GetBytes("pulse 43"), s_context, signature));
        Assert.False(scheme.Verify(keys.PublicKey, message, Encoding.ASCII.GetBytes("qrng-pulse-v2"), signature));
        Assert.False(scheme.Verify(keys.PublicKey, message, [], signature));
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void Any_flipped_signature_bit_in_c_tilde_or_z_is_rejected(string name)
    {
        MlDsaScheme scheme = Scheme(name);
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(3));
        byte[] signature = scheme.SignDeterministic(keys.SecretKey, [1, 2, 3], s_context);
        int hintStart = signature.Length - scheme.Parameters.Omega - scheme.Parameters.K;

        // Every 37th bit through c̃ and z (the hint region has its own test).
        for (int bit = 0; bit < hintStart * 8; bit += 37)
        {
            byte[] tampered = (byte[])signature.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(scheme.Verify(keys.PublicKey, [1, 2, 3], s_context, tampered), $"bit {bit} flipped still verifies");
        }
    }

    [Fact]
    public void Malformed_hint_encodings_are_rejected()
    {
        MlDsaScheme scheme = MlDsaScheme.MlDsa65;
        MlDsaParameters p = scheme.Parameters;
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(4));
        byte[] message = [9, 9, 9];
        byte[] signature = scheme.SignDeterministic(keys.SecretKey, message, []);
        int hints = signature.Length - p.Omega - p.K;
        int total = signature[^1];
        Assert.True(total >= 2, "test needs a signature with at least two hint bits");

        // Counts past ω, a count that decreases, non-increasing positions, non-zero padding.
        Assert.False(scheme.Verify(keys.PublicKey, message, [], With(signature, signature.Length - 1, (byte)(p.Omega + 1))));
        Assert.False(scheme.Verify(keys.PublicKey, message, [], With(signature, hints + p.Omega, (byte)(total + 1))));
        Assert.False(scheme.Verify(keys.PublicKey, message, [], With(signature, hints + 1, signature[hints])));
        if (total < p.Omega)
        {
            Assert.False(scheme.Verify(keys.PublicKey, message, [], With(signature, hints + total, 1)));
        }

        Assert.True(scheme.Verify(keys.PublicKey, message, [], signature));
    }

    [Fact]
    public void Deterministic_signing_repeats_and_hedged_signing_varies()
    {
        MlDsaScheme scheme = MlDsaScheme.MlDsa65;
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(5));
        byte[] message = Encoding.UTF8.GetBytes("entropy block");

        byte[] first = scheme.SignDeterministic(keys.SecretKey, message, s_context);
        byte[] second = scheme.SignDeterministic(keys.SecretKey, message, s_context);
        byte[] zeroRnd = scheme.Sign(keys.SecretKey, message, s_context, new byte[32]);
        byte[] hedgedA = scheme.SignHedged(keys.SecretKey, message, s_context);
        byte[] hedgedB = scheme.SignHedged(keys.SecretKey, message, s_context);

        Assert.Equal(first, second);
        Assert.Equal(first, zeroRnd);
        Assert.NotEqual(hedgedA, hedgedB);
        Assert.True(scheme.Verify(keys.PublicKey, message, s_context, hedgedA));
        Assert.True(scheme.Verify(keys.PublicKey, message, s_context, hedgedB));
    }

    [Fact]
    public void Context_longer_than_255_bytes_is_refused_by_sign_and_fails_verify()
    {
        MlDsaScheme scheme = MlDsaScheme.MlDsa65;
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(6));
        byte[] longest = new byte[255];
        byte[] signature = scheme.SignDeterministic(keys.SecretKey, [], longest);

        Assert.True(scheme.Verify(keys.PublicKey, [], longest, signature));
        ArgumentException e = Assert.Throws<ArgumentException>(() => scheme.SignDeterministic(keys.SecretKey, [], new byte[256]));
        Assert.Equal("context", e.ParamName);
        Assert.False(scheme.Verify(keys.PublicKey, [], new byte[256], signature));
    }

    [Fact]
    public void Wrong_lengths_are_clear_errors_or_failed_verification()
    {
        MlDsaScheme scheme = MlDsaScheme.MlDsa65;
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(7));
        byte[] signature = scheme.SignDeterministic(keys.SecretKey, [], []);

        Assert.Equal("seed", Assert.Throws<ArgumentException>(() => scheme.GenerateKeyPair(new byte[31])).ParamName);
        Assert.Equal("secretKey", Assert.Throws<ArgumentException>(() => scheme.SignDeterministic(keys.SecretKey[1..], [], [])).ParamName);
        Assert.Equal("rnd", Assert.Throws<ArgumentException>(() => scheme.Sign(keys.SecretKey, [], [], new byte[31])).ParamName);
        Assert.Equal("publicKey", Assert.Throws<ArgumentException>(() => scheme.Verify(keys.PublicKey[1..], [], [], signature)).ParamName);
        Assert.False(scheme.Verify(keys.PublicKey, [], [], signature[1..]));
        Assert.False(scheme.Verify(keys.PublicKey, [], [], [.. signature, 0]));
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void Prepared_keys_sign_and_verify_exactly_like_the_one_shot_calls(string name)
    {
        MlDsaScheme scheme = Scheme(name);
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(8));
        using MlDsaSigningKey signer = scheme.PrepareSigningKey(keys.SecretKey);
        MlDsaVerificationKey verifier = scheme.PrepareVerificationKey(keys.PublicKey);
        byte[] rnd = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

        for (int i = 0; i < 4; i++)
        {
            byte[] message = [(byte)i];
            byte[] prepared = signer.Sign(message, s_context, rnd);
            Assert.Equal(scheme.Sign(keys.SecretKey, message, s_context, rnd), prepared);
            Assert.True(verifier.Verify(message, s_context, prepared));
            Assert.False(verifier.Verify([(byte)(i + 1)], s_context, prepared));
        }
    }

    [Fact]
    public void A_prepared_signing_key_is_safe_to_share_between_threads()
    {
        MlDsaScheme scheme = MlDsaScheme.MlDsa65;
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(9));
        using MlDsaSigningKey signer = scheme.PrepareSigningKey(keys.SecretKey);
        byte[][] expected = [.. Enumerable.Range(0, 16).Select(i => scheme.SignDeterministic(keys.SecretKey, [(byte)i], s_context))];

        var actual = new byte[16][];
        Parallel.For(0, 16, i => actual[i] = signer.SignDeterministic([(byte)i], s_context));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_disposed_signing_key_refuses_to_sign()
    {
        MlDsaScheme scheme = MlDsaScheme.MlDsa65;
        MlDsaSigningKey signer = scheme.PrepareSigningKey(scheme.GenerateKeyPair(Seed(10)).SecretKey);
        signer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => signer.SignDeterministic([], []));
    }

    [Fact]
    public void HashMlDsa_round_trips_with_every_pre_hash_and_is_domain_separated()
    {
        MlDsaScheme scheme = MlDsaScheme.MlDsa44;
        MlDsaKeyPair keys = scheme.GenerateKeyPair(Seed(11));
        byte[] message = Encoding.UTF8.GetBytes("pre-hashed");
        foreach (MlDsaPreHash hash in Enum.GetValues<MlDsaPreHash>())
        {
            byte[] signature = scheme.SignPreHash(keys.SecretKey, message, s_context, hash, new byte[32]);
            MlDsaPreHash other = hash == MlDsaPreHash.Sha512 ? MlDsaPreHash.Sha3T512 : MlDsaPreHash.Sha512;

            Assert.True(scheme.VerifyPreHash(keys.PublicKey, message, s_context, hash, signature), $"{hash}");
            Assert.False(scheme.VerifyPreHash(keys.PublicKey, message, s_context, other, signature), $"{hash} verified as {other}");
            Assert.False(scheme.VerifyPreHash(keys.PublicKey, [.. message, 0], s_context, hash, signature), $"{hash} with another message");
            Assert.False(scheme.Verify(keys.PublicKey, message, s_context, signature), $"{hash} verified as pure ML-DSA");
        }
    }

    [Fact]
    public void HashMlDsa_formats_the_message_as_fips_204_algorithm_4()
    {
        byte[] message = Encoding.UTF8.GetBytes("abc");
        byte[] oidSha256 = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
        byte[] oidShake256 = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0C];

        Assert.Equal(
            [1, 2, 0xAA, 0xBB, .. oidSha256, .. System.Security.Cryptography.SHA256.HashData(message)],
            PreHash.FormatMessage(MlDsaPreHash.Sha256, [0xAA, 0xBB], message));

        // SHAKE256("abc") with 512 output bits begins 483366601360a877 (FIPS 202 example values).
        byte[] shake = PreHash.FormatMessage(MlDsaPreHash.Shake256, [], message);
        Assert.Equal([1, 0, .. oidShake256], shake[..13]);
        Assert.Equal(64, shake.Length - 13);
        Assert.Equal("483366601360A877", Convert.ToHexString(shake, 13, 8));
    }

    [Fact]
    public void Parameter_sets_are_found_by_name()
    {
        Assert.Same(MlDsaScheme.MlDsa65, MlDsaScheme.For(MlDsaParameters.FromName("ML-DSA-65")));
        Assert.Same(MlDsaScheme.MlDsa44, MlDsaScheme.For(MlDsaParameters.MlDsa44));
        Assert.Same(MlDsaScheme.MlDsa87, MlDsaScheme.For(MlDsaParameters.MlDsa87));
        Assert.Throws<ArgumentException>(() => MlDsaParameters.FromName("ML-DSA-66"));
    }

    private static MlDsaScheme Scheme(string name) => MlDsaScheme.For(MlDsaParameters.FromName(name));

    private static byte[] Seed(byte b) => [.. Enumerable.Repeat(b, 32)];

    private static byte[] With(byte[] source, int index, byte value)
    {
        byte[] copy = (byte[])source.Clone();
        copy[index] = value;
        return copy;
    }
}
