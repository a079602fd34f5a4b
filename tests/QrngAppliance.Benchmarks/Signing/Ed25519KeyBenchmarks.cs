using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Benchmarks.Signing;

/// <summary>
/// Ed25519 sign and verify of a pulse-sized message with BouncyCastle's key parameters rebuilt on every call
/// (the static <see cref="Ed25519"/> helpers, what the pulse signer did before) against keys parsed once
/// (<see cref="Ed25519SigningKey"/>, <see cref="Ed25519PublicKey"/>, what the pulse signer and key set keep).
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*Ed25519Key*'
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class Ed25519KeyBenchmarks
{
    private readonly byte[] _seed = SHA256.HashData("bench ed25519"u8);
    private readonly byte[] _message = new byte[256];
    private Ed25519SigningKey _signingKey = null!;
    private Ed25519PublicKey _publicKey = null!;
    private byte[] _publicKeyBytes = [];
    private byte[] _signature = [];

    [GlobalSetup]
    public void Setup()
    {
        _signingKey = new Ed25519SigningKey(_seed);
        _publicKey = _signingKey.PublicKey;
        _publicKeyBytes = _publicKey.Encoded;
        _signature = _signingKey.Sign(_message);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("sign")]
    public byte[] SignRebuildingKeyPerCall() => Ed25519.Sign(_seed, _message);

    [Benchmark]
    [BenchmarkCategory("sign")]
    public byte[] SignWithKeptKey() => _signingKey.Sign(_message);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("verify")]
    public bool VerifyRebuildingKeyPerCall() => Ed25519.Verify(_publicKeyBytes, _message, _signature);

    [Benchmark]
    [BenchmarkCategory("verify")]
    public bool VerifyWithKeptKey() => _publicKey.Verify(_message, _signature);
}
