using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Proofs.Tests.Signing;

public sealed class Ed25519Tests
{
    public static TheoryData<string> Cases() => new(Names());

    private static List<string> Names()
    {
        using var doc = Vectors.Json("ed25519", "rfc8032-ed25519.json");
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
    }

    [Fact]
    public void All_five_rfc8032_vectors_are_present()
    {
        Assert.Equal(["TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"], Names());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rfc8032_vector_derives_the_public_key_reproduces_the_signature_and_verifies(string name)
    {
        var (seed, publicKey, message, signature) = Load(name);
        Assert.Equal(publicKey, Ed25519.PublicKeyFromSeed(seed));
        Assert.Equal(signature, Ed25519.Sign(seed, message));
        Assert.True(Ed25519.Verify(publicKey, message, signature));

        var signer = new Ed25519PulseSigner(seed);
        Assert.Equal(publicKey, signer.PublicKey);
        Assert.Equal(signature, signer.Sign(message));
        Assert.Equal("ed25519", signer.Algorithm);
        Assert.Equal(KeyIds.Of("ed25519", publicKey), signer.KeyId);
        Assert.DoesNotContain(Convert.ToHexStringLower(seed), signer.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rfc8032_vector_with_any_single_bit_flipped_is_rejected(string name)
    {
        var (_, publicKey, message, signature) = Load(name);
        // A spread of bits over R, S, the message and the public key, including the first and last of each
        // (BouncyCastle's verify is ~3 ms here, so every bit of everything would cost seconds per vector).
        foreach (var bit in Spread(signature.Length * 8, 7))
        {
            Assert.False(Ed25519.Verify(publicKey, message, Flip(signature, bit)), $"signature bit {bit}");
        }

        foreach (var bit in Spread(message.Length * 8, Math.Max(1, message.Length / 4)))
        {
            Assert.False(Ed25519.Verify(publicKey, Flip(message, bit), signature), $"message bit {bit}");
        }

        foreach (var bit in Spread(publicKey.Length * 8, 11))
        {
            Assert.False(Ed25519.Verify(Flip(publicKey, bit), message, signature), $"public key bit {bit}");
        }

        Assert.False(Ed25519.Verify(publicKey, [.. message, 0], signature));
    }

    [Fact]
    public void Wrong_sized_keys_and_signatures_are_refused()
    {
        var (seed, publicKey, message, signature) = Load("TEST 2");
        Assert.False(Ed25519.Verify(publicKey[..31], message, signature));
        Assert.False(Ed25519.Verify(publicKey, message, signature[..63]));
        Assert.False(Ed25519.Verify(publicKey, message, [.. signature, 0]));
        Assert.Throws<ArgumentException>(() => Ed25519.Sign(seed[..31], message));
        Assert.Throws<ArgumentException>(() => Ed25519.PublicKeyFromSeed([.. seed, 0]));
    }

    [Fact]
    public void Key_ids_are_8_bytes_and_differ_by_algorithm_and_key()
    {
        var key = new byte[32];
        var id = KeyIds.Of("ed25519", key);
        Assert.Equal(KeyIds.Size, id.Length);
        Assert.NotEqual(id, KeyIds.Of("ml-dsa-65", key));
        key[0] = 1;
        Assert.NotEqual(id, KeyIds.Of("ed25519", key));
        // SHA-256("ed25519" ‖ 0x00 ‖ key)[..8], recomputed independently.
        Assert.Equal(System.Security.Cryptography.SHA256.HashData([.. "ed25519"u8, 0, .. key])[..8], KeyIds.Of("ed25519", key));
    }

    private static (byte[] Seed, byte[] PublicKey, byte[] Message, byte[] Signature) Load(string name)
    {
        using var doc = Vectors.Json("ed25519", "rfc8032-ed25519.json");
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        byte[] Hex(string field) => Convert.FromHexString(c.GetProperty(field).GetString()!);
        return (Hex("secretKey"), Hex("publicKey"), Hex("message"), Hex("signature"));
    }

    private static IEnumerable<int> Spread(int bits, int step) =>
        bits == 0 ? [] : Enumerable.Range(0, (bits + step - 1) / step).Select(i => i * step).Append(bits - 1).Distinct();

    private static byte[] Flip(byte[] data, int bit)
    {
        var copy = data.ToArray();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
