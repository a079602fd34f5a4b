using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Tests.Signing;

/// <summary>The kept-key API (<see cref="Ed25519SigningKey"/>, <see cref="Ed25519PublicKey"/>) on the RFC 8032 §7.1 vectors.</summary>
public sealed class Ed25519KeyTests
{
    public static TheoryData<string> Cases => new(["TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_kept_key_signs_and_verifies_every_rfc8032_vector_again_and_again(string name)
    {
        var (seed, publicKey, message, signature) = Load(name);
        var signingKey = new Ed25519SigningKey(seed);
        Assert.True(Ed25519PublicKey.TryDecode(publicKey, out var verifyingKey));

        Assert.Equal(publicKey, signingKey.PublicKey.Encoded);
        Assert.Equal(publicKey, verifyingKey.Encoded);
        for (int round = 0; round < 3; round++)
        {
            // Kept parameters must not carry state from one message to the next.
            Assert.Equal(signature, signingKey.Sign(message));
            Assert.True(verifyingKey.Verify(message, signature));
            Assert.True(signingKey.PublicKey.Verify(message, signature));
            Assert.False(verifyingKey.Verify([.. message, (byte)round], signature));
        }

        Assert.DoesNotContain(Convert.ToHexStringLower(seed), signingKey.ToString());
    }

    [Fact]
    public void Encodings_that_are_not_curve_points_do_not_decode()
    {
        var (_, publicKey, message, signature) = Load("TEST 2");

        // y = 2^255 − 1 is not below p = 2^255 − 19: no canonical encoding of any point.
        byte[] nonCanonical = [.. Enumerable.Repeat((byte)0xff, 31), 0x7f];
        Assert.False(Ed25519PublicKey.TryDecode(nonCanonical, out var key));
        Assert.Null(key);
        Assert.False(Ed25519.Verify(nonCanonical, message, signature));
        Assert.False(Ed25519PublicKey.TryDecode(publicKey[..31], out _));
        Assert.False(Ed25519PublicKey.TryDecode([.. publicKey, 0], out _));
    }

    [Fact]
    public void Wrong_sized_seeds_and_signatures_are_refused()
    {
        var (seed, publicKey, message, signature) = Load("TEST 2");
        Assert.Throws<ArgumentException>(() => new Ed25519SigningKey(seed[..31]));
        Assert.True(Ed25519PublicKey.TryDecode(publicKey, out var key));
        Assert.False(key.Verify(message, signature[..63]));
        Assert.False(key.Verify(message, [.. signature, 0]));
    }

    private static (byte[] Seed, byte[] PublicKey, byte[] Message, byte[] Signature) Load(string name)
    {
        using var doc = Vectors.Json("ed25519", "rfc8032-ed25519.json");
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        byte[] Hex(string field) => Convert.FromHexString(c.GetProperty(field).GetString()!);
        return (Hex("secretKey"), Hex("publicKey"), Hex("message"), Hex("signature"));
    }
}
