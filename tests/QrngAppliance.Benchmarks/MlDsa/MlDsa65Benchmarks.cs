using System.Text;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Proofs.MlDsa;

namespace QrngAppliance.Benchmarks.MlDsa;

/// <summary>
/// ML-DSA-65 key generation, deterministic signing of a pulse-sized message with the pulse context,
/// and verification. Targets (issue 5): sign ≤ 1.5 ms, verify ≤ 0.5 ms; noble (JavaScript) on the
/// same machine: sign 9–15 ms, verify 3.3 ms.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*MlDsa65*'
/// </summary>
[MemoryDiagnoser]
public class MlDsa65Benchmarks
{
    private static readonly MlDsaScheme s_scheme = MlDsaScheme.MlDsa65;
    private readonly byte[] _seed = new byte[32];
    private readonly byte[] _message = new byte[256];
    private readonly byte[] _context = Encoding.ASCII.GetBytes("qrng-pulse-v1");
    private MlDsaKeyPair _keys = null!;
    private MlDsaSigningKey _signer = null!;
    private MlDsaVerificationKey _verifier = null!;
    private byte[] _signature = [];
    private int _counter;

    [GlobalSetup]
    public void Setup()
    {
        _seed[0] = 42;
        _keys = s_scheme.GenerateKeyPair(_seed);
        _signature = s_scheme.SignDeterministic(_keys.SecretKey, _message, _context);
        _signer = s_scheme.PrepareSigningKey(_keys.SecretKey);
        _verifier = s_scheme.PrepareVerificationKey(_keys.PublicKey);
    }

    [GlobalCleanup]
    public void Cleanup() => _signer.Dispose();

    [Benchmark]
    public MlDsaKeyPair KeyGen() => s_scheme.GenerateKeyPair(_seed);

    /// <summary>
    /// A fresh message each call: the number of rejection rounds depends on the message, so signing
    /// one fixed message would measure one arbitrary point of the distribution.
    /// </summary>
    [Benchmark]
    public byte[] Sign()
    {
        BitConverter.TryWriteBytes(_message, ++_counter);
        return s_scheme.SignDeterministic(_keys.SecretKey, _message, _context);
    }

    [Benchmark]
    public bool Verify()
    {
        _message.AsSpan(0, 4).Clear();
        return s_scheme.Verify(_keys.PublicKey, _message, _context, _signature);
    }

    /// <summary>Signing with a key decoded once (the pulse signer's case).</summary>
    [Benchmark]
    public byte[] SignPrepared()
    {
        BitConverter.TryWriteBytes(_message, ++_counter);
        return _signer.SignDeterministic(_message, _context);
    }

    /// <summary>Verifying with a key decoded once (a chain of pulses under one key).</summary>
    [Benchmark]
    public bool VerifyPrepared()
    {
        _message.AsSpan(0, 4).Clear();
        return _verifier.Verify(_message, _context, _signature);
    }
}
