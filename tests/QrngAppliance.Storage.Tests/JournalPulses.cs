using System.Security.Cryptography;
using QrngAppliance.Proofs.Pulses;

namespace QrngAppliance.Storage.Tests;

internal static class JournalPulses
{
    public static Pulse Make(ulong seq, byte[] prev, long treeSize) => new(
        Pulse.CurrentVersion,
        "appliance-1",
        seq,
        prev,
        new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero).AddSeconds(seq),
        treeSize,
        SHA256.HashData(BitConverter.GetBytes(treeSize)),
        256 * treeSize,
        [new SourceHealthSummary("sim0", "healthy", 0, 0, 1000 * (long)seq)],
        [new PulseSignature("ed25519", new byte[8], new byte[64])]);
}
