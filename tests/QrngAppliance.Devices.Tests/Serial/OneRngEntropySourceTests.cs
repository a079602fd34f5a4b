using QrngAppliance.Devices.Profiles;
using QrngAppliance.Devices.Serial;
using QrngAppliance.Devices.Tests.Faults;
using QrngAppliance.Devices.Tests.Usb;
using QrngAppliance.Entropy.Sources;
using QrngAppliance.HwSim.Serial;
using QrngAppliance.HwSim.TrueRng;

namespace QrngAppliance.Devices.Tests.Serial;

public sealed class OneRngEntropySourceTests : IDisposable
{
    private static readonly FirmwareProfile s_profile =
        FirmwareProfileLoader.LoadFile(Path.Combine(FirmwareProfileLoader.DefaultDirectory, "onerng.json"));

    private readonly TempDirectory _dir = new();

    private string LinkPath => _dir.File("onerng0");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_profile_trusts_exactly_the_simulator_image_hash()
    {
        Assert.Equal(SimulatedOneRng.FirmwareSha256, Assert.Single(s_profile.KnownFirmwareHashes).Sha256);
    }

    [Fact]
    public async Task Open_runs_the_command_sequence_verifies_the_firmware_and_streams_in_the_chosen_mode()
    {
        await using var sim = SimulatedOneRng.Start(LinkPath, bytesPerSecond: 200_000);
        await using var source = await OneRngEntropySource.OpenAsync(LinkPath, s_profile, "onerng0", OneRngNoiseMode.AvalancheRfWhitened);

        Assert.NotNull(source.Firmware);
        Assert.Equal(SimulatedOneRng.FirmwareVersion, source.Firmware.Version);
        Assert.Equal(SimulatedOneRng.FirmwareSha256, source.Firmware.Sha256);
        Assert.Equal(16 * 1024 - 680, source.Firmware.CodeSize);
        Assert.StartsWith("v3 sha256:66c0fd17", source.Identity.Firmware, StringComparison.Ordinal);
        // The zeros a silent device streams after the dump were drained: the samples are noise.
        byte[] samples = await ChaosKeyEntropySourceTests.ReadAsync(source, 4096);
        Assert.True(samples.Distinct().Count() > 200);
        Assert.True(samples.Count(b => b == 0) < 64);
        // Noise flows only after the final cmdO, so by now the simulator has seen the whole sequence.
        Assert.Equal(["cmdo", "cmd4", "cmdX", "cmdO", "cmdo", "cmd2", "cmdw", "cmdO"], sim.Commands);
        Assert.Equal(2, sim.Mode);
        Assert.True(sim.Running);
    }

    [Fact]
    public async Task A_tampered_firmware_image_is_rejected_naming_its_hash_and_the_profile()
    {
        await using var sim = SimulatedOneRng.Start(LinkPath, bytesPerSecond: 200_000);
        sim.TamperFirmware = true;

        var e = await Assert.ThrowsAsync<OneRngFirmwareException>(() => OneRngEntropySource.OpenAsync(LinkPath, s_profile, "onerng0"));

        Assert.Contains("not in onerng.json known_firmware_hashes", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SimulatedOneRng.FirmwareSha256, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_instead_of_a_dump_is_a_protocol_error_quoting_the_reply()
    {
        await using var sim = SimulatedOneRng.Start(LinkPath, bytesPerSecond: 200_000);
        sim.SetFault(SimulatedFault.Garbage());

        var e = await Assert.ThrowsAsync<OneRngFirmwareException>(() => OneRngEntropySource.OpenAsync(LinkPath, s_profile, "onerng0"));

        Assert.Contains("no OneRNG firmware image (magic FE ED BE EF 20 14)", e.Message, StringComparison.Ordinal);
        Assert.Contains("hwsim: garbage on the line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_parser_skips_leading_bytes_and_waits_for_the_whole_image()
    {
        byte[] image = new byte[1000];
        image[0] = 0x42;
        byte[] dump = [.. "noise"u8, .. OneRngFirmwareImage.Encode(2, 400, image)];

        Assert.False(OneRngFirmwareImage.TryParse(dump.AsSpan(0, dump.Length - 1), out _, out int magicAt));
        Assert.Equal(5, magicAt);
        Assert.True(OneRngFirmwareImage.TryParse(dump, out OneRngFirmwareImage? parsed, out _));
        Assert.Equal(2, parsed!.Version);
        Assert.Equal(400, parsed.CodeSize);
        Assert.Equal(image, parsed.Image);
        Assert.Equal(600, OneRngFirmwareImage.TailLength(2));
    }

    [Fact]
    public async Task Garbage_bursts_in_the_stream_are_caught_by_the_RCT_and_the_source_recovers()
    {
        await using var sim = SimulatedOneRng.Start(LinkPath, bytesPerSecond: 200_000);
        await using var source = await OneRngEntropySource.OpenAsync(LinkPath, s_profile, "onerng0");
        await new HealthDrill(source).ExpectRctAsync(sim, SimulatedFault.Garbage(64), recover: true);
    }

    [Fact]
    public async Task Unplug_during_streaming_is_a_SourceDisconnectedException()
    {
        await using var sim = SimulatedOneRng.Start(LinkPath, bytesPerSecond: 200_000);
        await using var source = await OneRngEntropySource.OpenAsync(LinkPath, s_profile, "onerng0");
        await ChaosKeyEntropySourceTests.ReadAsync(source, 1024);

        sim.Disconnect();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<SourceDisconnectedException>(async () =>
        {
            byte[] buffer = new byte[4096];
            while (true)
            {
                await source.ReadSamplesAsync(buffer, timeout.Token);
            }
        });
    }
}
