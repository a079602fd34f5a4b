using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Proofs.MlDsa;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Benchmarks.Signing;

/// <summary>
/// The package migration's "no performance regression" check: ML-DSA-65 (whose SHAKE is BouncyCastle's) and
/// Ed25519 sign and verify through API that exists both before and after the move from Portable.BouncyCastle
/// 1.8.10 to BouncyCastle.Cryptography 2.7.0, so scripts/bench-bouncycastle-migration.sh can build this one
/// file against main and against this tree and run both back to back on the same machine.
/// Run alone: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*BouncyCastleMigration*'
/// </summary>
[MemoryDiagnoser]
public class BouncyCastleMigrationBenchmarks
{
    private static readonly MlDsaScheme s_mlDsa = MlDsaScheme.MlDsa65;
    private readonly byte[] _ed25519Seed = SHA256.HashData("bench ed25519"u8);
    private readonly byte[] _message = new byte[256];
    private readonly byte[] _signedMessage = new byte[256];
    private readonly byte[] _context = "qrng-pulse-v1"u8.ToArray();
    private MlDsaSigningKey _mlDsaSigner = null!;
    private MlDsaVerificationKey _mlDsaVerifier = null!;
    private byte[] _mlDsaSignature = [];
    private byte[] _ed25519PublicKey = [];
    private byte[] _ed25519Signature = [];
    private int _counter;

    [GlobalSetup]
    public void Setup()
    {
        var keys = s_mlDsa.GenerateKeyPair(SHA256.HashData("bench ml-dsa-65"u8));
        _mlDsaSigner = s_mlDsa.PrepareSigningKey(keys.SecretKey);
        _mlDsaVerifier = s_mlDsa.PrepareVerificationKey(keys.PublicKey);
        _mlDsaSignature = _mlDsaSigner.SignDeterministic(_signedMessage, _context);
        _ed25519PublicKey = Ed25519.PublicKeyFromSeed(_ed25519Seed);
        _ed25519Signature = Ed25519.Sign(_ed25519Seed, _signedMessage);
    }

    [GlobalCleanup]
    public void Cleanup() => _mlDsaSigner.Dispose();

    /// <summary>A fresh message each call: the number of rejection rounds depends on the message.</summary>
    [Benchmark]
    public byte[] MlDsa65Sign()
    {
        BitConverter.TryWriteBytes(_message, ++_counter);
        return _mlDsaSigner.SignDeterministic(_message, _context);
    }

    [Benchmark]
    public bool MlDsa65Verify() => _mlDsaVerifier.Verify(_signedMessage, _context, _mlDsaSignature);

    [Benchmark]
    public byte[] Ed25519Sign() => Ed25519.Sign(_ed25519Seed, _message);

    [Benchmark]
    public bool Ed25519Verify() => Ed25519.Verify(_ed25519PublicKey, _signedMessage, _ed25519Signature);
}
