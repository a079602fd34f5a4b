using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using QrngAppliance.Proofs.MlDsa;
using BcMlDsaParameters = Org.BouncyCastle.Crypto.Parameters.MLDsaParameters;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>
/// Our ML-DSA against BouncyCastle.Cryptography 2.7.0's independent implementation, on random seeds, messages
/// and contexts: both derive the same key from one seed, deterministic signatures are byte-identical, each
/// side accepts the other's (hedged) signatures, and both reject a tampered one. Seeded, so a failure
/// reproduces; bounded to a few cases per parameter set so it runs in about a second.
/// </summary>
public sealed class MlDsaBouncyCastleDifferentialTests
{
    private const int CasesPerParameterSet = 6;

    public static TheoryData<string> ParameterSets => ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"];

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void Both_implementations_agree_on_keys_signatures_and_verdicts(string name)
    {
        MlDsaScheme ours = MlDsaScheme.For(QrngAppliance.Proofs.MlDsa.MlDsaParameters.FromName(name));
        BcMlDsaParameters theirs = BouncyCastleParameters(name);
        var random = new Random(0x204 + int.Parse(name[^2..], System.Globalization.CultureInfo.InvariantCulture));
        int cases = 0;

        for (int i = 0; i < CasesPerParameterSet; i++)
        {
            byte[] seed = Bytes(random, MlDsaScheme.SeedBytes);
            byte[] message = Bytes(random, random.Next(0, 2048));

            // The edges FIPS 204 allows: no context and the longest one.
            byte[] context = Bytes(random, i switch { 0 => 0, 1 => MlDsaScheme.MaxContextBytes, _ => random.Next(1, MlDsaScheme.MaxContextBytes) });
            string where = $"{name} case {i} (message {message.Length} B, context {context.Length} B)";

            MlDsaKeyPair keys = ours.GenerateKeyPair(seed);
            MLDsaPrivateKeyParameters bcPrivate = MLDsaPrivateKeyParameters.FromSeed(theirs, seed);
            MLDsaPublicKeyParameters bcPublic = bcPrivate.GetPublicKey();
            Assert.True(keys.PublicKey.AsSpan().SequenceEqual(bcPublic.GetEncoded()), $"{where}: public keys differ");
            Assert.True(keys.SecretKey.AsSpan().SequenceEqual(bcPrivate.GetEncoded()), $"{where}: secret keys differ");

            // Deterministic signing (rnd = 0) is a function of key, message and context: identical bytes.
            byte[] oursDeterministic = ours.SignDeterministic(keys.SecretKey, message, context);
            byte[] theirsDeterministic = BouncyCastleSign(theirs, bcPrivate, message, context, random: null);
            Assert.True(oursDeterministic.AsSpan().SequenceEqual(theirsDeterministic), $"{where}: deterministic signatures differ");

            // Hedged signatures differ every time; each side must accept the other's.
            byte[] oursHedged = ours.SignHedged(keys.SecretKey, message, context);
            byte[] theirsHedged = BouncyCastleSign(theirs, bcPrivate, message, context, new SecureRandom());
            Assert.True(BouncyCastleVerify(theirs, bcPublic, message, context, oursHedged), $"{where}: BouncyCastle rejects our signature");
            Assert.True(ours.Verify(keys.PublicKey, message, context, theirsHedged), $"{where}: we reject BouncyCastle's signature");

            // One flipped bit anywhere in the signature: both reject, whoever signed.
            foreach (byte[] genuine in (byte[][])[oursHedged, theirsHedged])
            {
                byte[] tampered = (byte[])genuine.Clone();
                int bit = random.Next(tampered.Length * 8);
                tampered[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.False(ours.Verify(keys.PublicKey, message, context, tampered), $"{where}: we accept a signature with bit {bit} flipped");
                Assert.False(BouncyCastleVerify(theirs, bcPublic, message, context, tampered), $"{where}: BouncyCastle accepts a signature with bit {bit} flipped");
            }

            // The context is bound into the signature: a different one fails on both sides.
            byte[] otherContext = [.. context.Take(MlDsaScheme.MaxContextBytes - 1), 0x5a];
            Assert.False(ours.Verify(keys.PublicKey, message, otherContext, theirsHedged), $"{where}: we accept another context");
            Assert.False(BouncyCastleVerify(theirs, bcPublic, message, otherContext, oursHedged), $"{where}: BouncyCastle accepts another context");
            cases++;
        }

        Assert.Equal(CasesPerParameterSet, cases);
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void HashMlDsa_with_sha512_matches_BouncyCastle(string name)
    {
        // BouncyCastle offers HashML-DSA with SHA-512 only; the other pre-hashes are covered by the ACVP cases.
        MlDsaScheme ours = MlDsaScheme.For(QrngAppliance.Proofs.MlDsa.MlDsaParameters.FromName(name));
        BcMlDsaParameters theirs = BouncyCastleParameters(name + "-WITH-SHA512");
        var random = new Random(0x512 + int.Parse(name[^2..], System.Globalization.CultureInfo.InvariantCulture));
        byte[] seed = Bytes(random, MlDsaScheme.SeedBytes);
        byte[] message = Bytes(random, 777);
        byte[] context = Bytes(random, 33);

        MlDsaKeyPair keys = ours.GenerateKeyPair(seed);
        MLDsaPrivateKeyParameters bcPrivate = MLDsaPrivateKeyParameters.FromSeed(theirs, seed);
        byte[] oursSignature = ours.SignPreHash(keys.SecretKey, message, context, MlDsaPreHash.Sha512, new byte[MlDsaScheme.RandomBytes]);

        var signer = new HashMLDsaSigner(theirs, deterministic: true);
        signer.Init(true, new ParametersWithContext(bcPrivate, context));
        signer.BlockUpdate(message);
        byte[] theirsSignature = signer.GenerateSignature();

        Assert.Equal(Convert.ToHexString(oursSignature), Convert.ToHexString(theirsSignature));
        Assert.True(ours.VerifyPreHash(keys.PublicKey, message, context, MlDsaPreHash.Sha512, theirsSignature));
        Assert.False(ours.Verify(keys.PublicKey, message, context, theirsSignature), "a HashML-DSA signature must not pass as pure ML-DSA");
    }

    private static BcMlDsaParameters BouncyCastleParameters(string name) => name switch
    {
        "ML-DSA-44" => BcMlDsaParameters.ml_dsa_44,
        "ML-DSA-65" => BcMlDsaParameters.ml_dsa_65,
        "ML-DSA-87" => BcMlDsaParameters.ml_dsa_87,
        "ML-DSA-44-WITH-SHA512" => BcMlDsaParameters.ml_dsa_44_with_sha512,
        "ML-DSA-65-WITH-SHA512" => BcMlDsaParameters.ml_dsa_65_with_sha512,
        "ML-DSA-87-WITH-SHA512" => BcMlDsaParameters.ml_dsa_87_with_sha512,
        _ => throw new ArgumentException($"no BouncyCastle parameters for {name}", nameof(name)),
    };

    private static byte[] BouncyCastleSign(BcMlDsaParameters parameters, MLDsaPrivateKeyParameters key, byte[] message, byte[] context, SecureRandom? random)
    {
        var signer = new MLDsaSigner(parameters, deterministic: random is null);
        Org.BouncyCastle.Crypto.ICipherParameters keyParameters = random is null ? key : new ParametersWithRandom(key, random);
        signer.Init(true, new ParametersWithContext(keyParameters, context));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    private static bool BouncyCastleVerify(BcMlDsaParameters parameters, MLDsaPublicKeyParameters key, byte[] message, byte[] context, byte[] signature)
    {
        var verifier = new MLDsaSigner(parameters, deterministic: true);
        verifier.Init(false, new ParametersWithContext(key, context));
        verifier.BlockUpdate(message);
        return verifier.VerifySignature(signature);
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
