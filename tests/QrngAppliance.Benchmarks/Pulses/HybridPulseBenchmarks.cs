using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Benchmarks.Pulses;

/// <summary>
/// Hybrid pulse signing and verification as the appliance does it: a version 2 pulse with one source and one
/// profile hash, signed by Ed25519 and by ML-DSA-65 (key prepared once per process, deterministic, context
/// qrng-pulse-v1), verified with a <see cref="PulseKeySet"/> (both keys decoded once). Baseline: Ed25519 alone.
/// Run: dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- --filter '*HybridPulse*'
/// </summary>
[MemoryDiagnoser]
public class HybridPulseBenchmarks
{
    private readonly Ed25519PulseSigner _ed25519 = new(SHA256.HashData("bench ed25519"u8));
    private readonly MlDsa65PulseSigner _mlDsa = new(SHA256.HashData("bench ml-dsa-65"u8));
    private PulseKeySet _keys = null!;
    private Pulse _template = null!;
    private Pulse _signed = null!;
    private byte[] _signedBytes = [];
    private ulong _seq;

    [GlobalSetup]
    public void Setup()
    {
        _keys = new PulseKeySet([PulseKey.Of(_ed25519), PulseKey.Of(_mlDsa)]);
        _template = new Pulse(
            Pulse.V2, "qrng-0123456789abcdef", 1, new byte[32], DateTimeOffset.UnixEpoch, 1000, new byte[32], 8192,
            [new SourceHealthSummary("truerng0", "healthy", 0, 0, 1_000_000)], [])
        {
            ProfileHashes = [new ProfileHash("truerng0", new byte[32])],
            HourLink = PulseLink.Self(1),
            DayLink = PulseLink.Self(1),
        };
        _signed = Sign(_template);
        _signedBytes = PulseCodec.SignedBytes(_signed);
    }

    [GlobalCleanup]
    public void Cleanup() => _mlDsa.Dispose();

    /// <summary>Encoding plus one Ed25519 signature: what a pulse cost before the hybrid format.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Ed25519Only() => _ed25519.Sign(PulseCodec.SignedBytes(_template with { Seq = ++_seq }));

    /// <summary>A fresh seq each call: ML-DSA's rejection rounds depend on the message.</summary>
    [Benchmark]
    public Pulse HybridSign() => Sign(_template with { Seq = ++_seq });

    [Benchmark]
    public bool HybridVerify() => _keys.Check(_signed, _signedBytes) is null;

    [Benchmark]
    public bool HybridSignAndVerify()
    {
        var pulse = Sign(_template with { Seq = ++_seq });
        return _keys.Check(pulse, PulseCodec.SignedBytes(pulse)) is null;
    }

    private Pulse Sign(Pulse pulse)
    {
        var bytes = PulseCodec.SignedBytes(pulse);
        return pulse with
        {
            Signatures =
            [
                new PulseSignature(_ed25519.Algorithm, _ed25519.KeyId, _ed25519.Sign(bytes)),
                new PulseSignature(_mlDsa.Algorithm, _mlDsa.KeyId, _mlDsa.Sign(bytes)),
            ],
        };
    }
}
