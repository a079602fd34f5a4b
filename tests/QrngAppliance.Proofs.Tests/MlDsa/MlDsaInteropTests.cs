using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>
/// ML-DSA-65 against @noble/post-quantum: recorded noble outputs (vectors/ml-dsa/interop-noble.json)
/// and a live node process that verifies our signatures and signs messages for us to verify.
/// </summary>
public sealed class MlDsaInteropTests
{
    private static readonly MlDsaScheme s_scheme = MlDsaScheme.MlDsa65;

    [Fact]
    public void Recorded_noble_key_and_deterministic_signatures_match_ours()
    {
        JsonElement root = MlDsaVectors.Root("interop-noble.json");
        MlDsaKeyPair keys = s_scheme.GenerateKeyPair(root.Hex("seed"));
        Assert.Equal(root.Str("pk"), Convert.ToHexString(keys.PublicKey));
        Assert.Equal(root.Str("sk"), Convert.ToHexString(keys.SecretKey));

        foreach (JsonElement c in root.GetProperty("cases").EnumerateArray())
        {
            byte[] message = c.Hex("message");
            byte[] context = c.Hex("context");
            byte[] signature = c.Hex("signature");
            Assert.Equal(c.Str("signature"), Convert.ToHexString(s_scheme.SignDeterministic(keys.SecretKey, message, context)));
            Assert.True(s_scheme.Verify(keys.PublicKey, message, context, signature));
        }
    }

    [Fact]
    public void Noble_verifies_our_signatures_and_rejects_tampered_ones()
    {
        byte[] seed = RandomBytes(32);
        MlDsaKeyPair keys = s_scheme.GenerateKeyPair(seed);
        byte[] pulseContext = Encoding.ASCII.GetBytes("qrng-pulse-v1");
        (byte[] Message, byte[] Context, byte[] Signature)[] signed =
        [
            Deterministic(keys, RandomBytes(100), pulseContext),
            Deterministic(keys, [], []),
            Deterministic(keys, RandomBytes(33), RandomBytes(255)),
            Hedged(keys, RandomBytes(1000), pulseContext),
        ];

        byte[] tampered = (byte[])signed[0].Signature.Clone();
        tampered[100] ^= 0x01;
        var requests = new JsonArray();
        foreach ((byte[] message, byte[] context, byte[] signature) in signed)
        {
            requests.Add(NoblePeer.VerifyRequest(keys.PublicKey, message, context, signature));
        }

        requests.Add(NoblePeer.VerifyRequest(keys.PublicKey, signed[0].Message, signed[0].Context, tampered));
        requests.Add(NoblePeer.VerifyRequest(keys.PublicKey, signed[0].Message, [], signed[0].Signature));

        JsonArray results = NoblePeer.Run(requests);

        Assert.Equal(requests.Count, results.Count);
        for (int i = 0; i < signed.Length; i++)
        {
            Assert.True(NoblePeer.Valid(results[i]), $"noble rejected our signature #{i} (seed {Convert.ToHexString(seed)})");
        }

        Assert.False(NoblePeer.Valid(results[signed.Length]), "noble accepted a signature with a flipped bit");
        Assert.False(NoblePeer.Valid(results[signed.Length + 1]), "noble accepted a signature under the wrong context");
    }

    [Fact]
    public void We_verify_noble_signatures_and_sign_identically_with_the_same_seed()
    {
        byte[] seed = RandomBytes(32);
        (byte[] Message, byte[] Context)[] inputs =
        [
            (Encoding.UTF8.GetBytes("pulse 1"), Encoding.ASCII.GetBytes("qrng-pulse-v1")),
            ([], []),
            (RandomBytes(4096), RandomBytes(255)),
        ];
        var requests = new JsonArray();
        foreach ((byte[] message, byte[] context) in inputs)
        {
            requests.Add(NoblePeer.SignRequest(seed, message, context));
        }

        JsonArray results = NoblePeer.Run(requests);

        MlDsaKeyPair keys = s_scheme.GenerateKeyPair(seed);
        for (int i = 0; i < inputs.Length; i++)
        {
            byte[] pk = NoblePeer.HexField(results[i], "pk");
            byte[] signature = NoblePeer.HexField(results[i], "sig");
            Assert.Equal(Convert.ToHexString(keys.PublicKey), Convert.ToHexString(pk));
            Assert.True(s_scheme.Verify(pk, inputs[i].Message, inputs[i].Context, signature), $"we rejected noble's signature #{i} (seed {Convert.ToHexString(seed)})");
            Assert.Equal(Convert.ToHexString(signature), Convert.ToHexString(s_scheme.SignDeterministic(keys.SecretKey, inputs[i].Message, inputs[i].Context)));
        }
    }

    [Fact]
    public void HashMlDsa_signatures_interoperate_in_both_directions()
    {
        // The pre-hashes noble accepts for ML-DSA-65: at least 192 bits of collision resistance.
        (MlDsaPreHash Ours, string Noble)[] hashes =
        [
            (MlDsaPreHash.Sha384, "SHA-384"),
            (MlDsaPreHash.Sha512, "SHA-512"),
            (MlDsaPreHash.Sha3T384, "SHA3-384"),
            (MlDsaPreHash.Sha3T512, "SHA3-512"),
            (MlDsaPreHash.Shake256, "SHAKE-256"),
        ];
        byte[] seed = RandomBytes(32);
        MlDsaKeyPair keys = s_scheme.GenerateKeyPair(seed);
        byte[] message = RandomBytes(300);
        byte[] context = Encoding.ASCII.GetBytes("qrng-pulse-v1");
        var requests = new JsonArray();
        var ours = new List<byte[]>();
        foreach ((MlDsaPreHash hash, string name) in hashes)
        {
            byte[] signature = s_scheme.SignPreHash(keys.SecretKey, message, context, hash, new byte[32]);
            ours.Add(signature);
            requests.Add(NoblePeer.VerifyRequest(keys.PublicKey, message, context, signature, name));
            requests.Add(NoblePeer.VerifyRequest(keys.PublicKey, message, context, signature));
            requests.Add(NoblePeer.SignRequest(seed, message, context, name));
        }

        JsonArray results = NoblePeer.Run(requests);

        for (int i = 0; i < hashes.Length; i++)
        {
            Assert.True(NoblePeer.Valid(results[3 * i]), $"noble rejected our HashML-DSA/{hashes[i].Noble} signature");
            Assert.False(NoblePeer.Valid(results[(3 * i) + 1]), $"noble accepted our HashML-DSA/{hashes[i].Noble} signature as pure ML-DSA");
            byte[] theirs = NoblePeer.HexField(results[(3 * i) + 2], "sig");
            Assert.True(s_scheme.VerifyPreHash(keys.PublicKey, message, context, hashes[i].Ours, theirs), $"we rejected noble's HashML-DSA/{hashes[i].Noble} signature");
            Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(ours[i]));
        }
    }

    private static (byte[], byte[], byte[]) Deterministic(MlDsaKeyPair keys, byte[] message, byte[] context)
        => (message, context, s_scheme.SignDeterministic(keys.SecretKey, message, context));

    private static (byte[], byte[], byte[]) Hedged(MlDsaKeyPair keys, byte[] message, byte[] context)
        => (message, context, s_scheme.SignHedged(keys.SecretKey, message, context));

    private static byte[] RandomBytes(int count) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(count);
}
