using System.Buffers.Binary;
using QrngAppliance.Devices.Profiles;
using QrngAppliance.Entropy.Sources;

namespace QrngAppliance.Devices.Usb;

/// <summary>
/// ID Quantique Quantis USB (0aba:0102): raw quantum bits from bulk IN endpoint 0x86, one 8-bit sample per byte,
/// with the vendor control requests of DEVICES.md §1.5 (board version, module mask/status/power/rate, AIS31 flag,
/// module enable/disable). The device has no on-board DRBG, so what we read is the raw noise the health tests need.
/// </summary>
public sealed class QuantisUsbEntropySource : EntropySource
{
    /// <summary>Bulk IN endpoint carrying the random bytes.</summary>
    public const byte DataEndpoint = 0x86;

    /// <summary>Bytes thrown away after a reset, as the vendor library does (output right after enable is not trusted).</summary>
    public const int ResetDiscardBytes = 4096;

    // bmRequestType: vendor request to the interface, IN (0xC1) or OUT (0x41); wValue = wIndex = 0 (DEVICES.md §1.5).
    private const byte VendorInterfaceIn = 0xC1;
    private const byte VendorInterfaceOut = 0x41;
    private const byte GetBoardVersion = 0x10;
    private const byte ModuleDisable = 0x11;
    private const byte ModuleEnable = 0x12;
    private const byte GetModulesStatus = 0x13;
    private const byte GetModulesPower = 0x14;
    private const byte GetModulesMask = 0x15;
    private const byte GetModulesRate = 0x16;
    private const byte GetAis31StartupTestsRequestFlag = 0x17;
    private const byte ClearAis31Flag = 0x18;
    private static readonly TimeSpan s_controlTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_resetSettle = TimeSpan.FromSeconds(1);

    private readonly IUsbTransport _transport;
    private readonly bool _leaveOpen;
    private readonly TimeProvider _time;
    private int _disposed;

    private QuantisUsbEntropySource(IUsbTransport transport, FirmwareProfile profile, string sourceId, bool leaveOpen, TimeProvider time)
    {
        _transport = transport;
        _leaveOpen = leaveOpen;
        _time = time;
        Profile = profile;
        Identity = new SourceIdentity(sourceId, profile.Model, profile.Transport, transport.SerialNumber);
    }

    public override SourceIdentity Identity { get; }

    public override int SampleBits => 8;

    public override double ClaimedMinEntropyPerSample => Profile.MinEntropyPerSample;

    /// <summary>The firmware profile this source was created with.</summary>
    public FirmwareProfile Profile { get; }

    /// <summary>GET_BOARD_VERSION (0x10), read at open.</summary>
    public uint BoardVersion { get; private set; }

    /// <summary>GET_MODULES_MASK (0x15): which module slots the board has.</summary>
    public byte ModulesMask { get; private set; }

    /// <summary>GET_MODULES_STATUS (0x13) at open: which modules report OK.</summary>
    public byte ModulesStatus { get; private set; }

    /// <summary>GET_MODULES_RATE (0x16): kbit/s per module.</summary>
    public uint ModuleRateKbitPerSecond { get; private set; }

    /// <summary>
    /// GET_AIS31_STARTUP_TESTS_REQUEST_FLAG (0x17) at open: the device asks the host to run start-up tests. The health
    /// monitor's startup test is that test; call <see cref="ClearAis31StartupTestsFlag"/> once it has passed.
    /// </summary>
    public bool Ais31StartupTestsRequested { get; private set; }

    /// <summary>
    /// Opens the Quantis behind <paramref name="transport"/>: set_configuration(1), claim_interface(0), then reads the
    /// board version, module mask/status/rate and the AIS31 flag.
    /// </summary>
    /// <exception cref="IOException">A request failed, or no module reports OK (the message says which).</exception>
    public static QuantisUsbEntropySource Open(IUsbTransport transport, FirmwareProfile profile, string sourceId,
        bool leaveOpen = false, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        if (profile.SampleBits != 8)
        {
            throw new ArgumentException($"{profile.SourceFile}: a Quantis delivers 8-bit samples, but sample_bits = {profile.SampleBits}", nameof(profile));
        }

        ValidateClaims(profile.SampleBits, profile.MinEntropyPerSample);
        transport.SetConfiguration(1);
        transport.ClaimInterface(0);
        var source = new QuantisUsbEntropySource(transport, profile, sourceId, leaveOpen, timeProvider ?? TimeProvider.System);
        source.ReadStatus();
        if ((source.ModulesStatus & source.ModulesMask) == 0)
        {
            transport.ReleaseInterface(0);
            throw new IOException($"{sourceId}: Quantis reports no working module (mask 0x{source.ModulesMask:x2}, status 0x{source.ModulesStatus:x2})");
        }

        return source;
    }

    /// <summary>GET_MODULES_POWER (0x14): which modules are powered.</summary>
    public byte ReadModulesPower() => ReadByte(GetModulesPower);

    /// <summary>Re-reads mask, status, rate, board version and the AIS31 flag.</summary>
    public void ReadStatus()
    {
        Span<byte> four = stackalloc byte[4];
        BoardVersion = BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(GetBoardVersion, four));
        ModulesMask = ReadByte(GetModulesMask);
        ModulesStatus = ReadByte(GetModulesStatus);
        ModuleRateKbitPerSecond = BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(GetModulesRate, four));
        Ais31StartupTestsRequested = ReadByte(GetAis31StartupTestsRequestFlag) != 0;
    }

    /// <summary>CLEAR_AIS31_FLAG (0x18): tells the device the host ran its start-up tests.</summary>
    public void ClearAis31StartupTestsFlag()
    {
        _transport.ControlOut(VendorInterfaceOut, ClearAis31Flag, 0, 0, [], s_controlTimeout);
        Ais31StartupTestsRequested = false;
    }

    /// <summary>
    /// Board reset as the vendor library does it: MODULE_DISABLE, MODULE_ENABLE, wait 1 s, then read and discard
    /// 4 KiB. Start a fresh health startup test afterwards: the source's statistics may have changed.
    /// </summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        _transport.ControlOut(VendorInterfaceOut, ModuleDisable, 0, 0, [], s_controlTimeout);
        _transport.ControlOut(VendorInterfaceOut, ModuleEnable, 0, 0, [], s_controlTimeout);
        await Task.Delay(s_resetSettle, _time, cancellationToken).ConfigureAwait(false);
        byte[] discard = new byte[ResetDiscardBytes];
        int total = 0;
        while (total < discard.Length)
        {
            total += await ReadSamplesAsync(discard.AsMemory(total), cancellationToken).ConfigureAwait(false);
        }

        ReadStatus();
    }

    public override ValueTask<int> ReadSamplesAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return buffer.IsEmpty
            ? throw new ArgumentException("buffer must hold at least one sample", nameof(buffer))
            : UsbEntropyReader.ReadAsync(_transport, DataEndpoint, buffer, Identity.Id, cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            UsbEntropyReader.Close(_transport, _leaveOpen);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private byte ReadByte(byte request)
    {
        Span<byte> one = stackalloc byte[1];
        return ReadExactly(request, one)[0];
    }

    private Span<byte> ReadExactly(byte request, Span<byte> data)
    {
        int n = _transport.ControlIn(VendorInterfaceIn, request, 0, 0, data, s_controlTimeout);
        return n == data.Length
            ? data
            : throw new IOException($"{Identity.Id}: Quantis request 0x{request:x2} returned {n} bytes, expected {data.Length}");
    }
}
