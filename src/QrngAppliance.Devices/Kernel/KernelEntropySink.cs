using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using QrngAppliance.Devices.Interop;

namespace QrngAppliance.Devices.Kernel;

/// <summary>
/// Feeds conditioned entropy to the kernel's input pool and credits it, as rngd does: the RNDADDENTROPY
/// ioctl on <c>/dev/random</c> with <c>struct rand_pool_info { int entropy_count; int buf_size; u32 buf[]; }</c>.
/// Crediting needs CAP_SYS_ADMIN; without it the kernel answers EPERM, reported as an
/// <see cref="UnauthorizedAccessException"/> that says so. A plain write() would mix without crediting.
/// </summary>
public sealed class KernelEntropySink : IDisposable
{
    public const string DefaultPath = "/dev/random";

    /// <summary>Bytes per ioctl; rngd feeds the kernel in small blocks too, and the header lives on the stack.</summary>
    public const int MaxBytesPerCall = 512;

    private readonly SafeFileHandle _handle;
    private readonly bool _ownsHandle;

    /// <param name="handle">An open file descriptor for the kernel random device (write access is enough).</param>
    /// <param name="description">What the handle is, for error messages.</param>
    /// <param name="ownsHandle">Close <paramref name="handle"/> on dispose.</param>
    public KernelEntropySink(SafeFileHandle handle, string description, bool ownsHandle = true)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
        _ownsHandle = ownsHandle;
        Description = description;
    }

    public string Description { get; }

    public static KernelEntropySink Open(string path = DefaultPath) =>
        new(File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite), path);

    /// <summary>
    /// Mixes <paramref name="conditioned"/> into the input pool and credits <paramref name="entropyBits"/>
    /// (never more than 8 per byte; pass what the conditioner credited, SP 800-90B §3.1.5.1.2). Large inputs
    /// go in blocks of <see cref="MaxBytesPerCall"/> with the credit split in proportion.
    /// </summary>
    public void AddEntropy(ReadOnlySpan<byte> conditioned, int entropyBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entropyBits);
        if ((long)entropyBits > 8L * conditioned.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(entropyBits), entropyBits,
                $"cannot credit more than 8 bits per byte ({8L * conditioned.Length} for {conditioned.Length} bytes)");
        }

        int creditedSoFar = 0;
        for (int offset = 0; offset < conditioned.Length; offset += MaxBytesPerCall)
        {
            var block = conditioned.Slice(offset, Math.Min(MaxBytesPerCall, conditioned.Length - offset));
            // Credit each block its share, rounding so the total is exactly entropyBits.
            int creditEnd = (int)((long)entropyBits * (offset + block.Length) / conditioned.Length);
            AddBlock(block, creditEnd - creditedSoFar);
            creditedSoFar = creditEnd;
        }
    }

    /// <summary>RNDGETENTCNT: the kernel's entropy estimate of its input pool, in bits (256 once the CRNG is ready on 5.18+).</summary>
    public unsafe int GetEntropyCount()
    {
        int count;
        if (LibcIoctl.Ioctl(_handle, LibcIoctl.RndGetEntCnt, &count) != 0)
        {
            throw Error("RNDGETENTCNT", Marshal.GetLastPInvokeError());
        }

        return count;
    }

    public void Dispose()
    {
        if (_ownsHandle)
        {
            _handle.Dispose();
        }
    }

    private unsafe void AddBlock(ReadOnlySpan<byte> block, int bits)
    {
        // struct rand_pool_info: two native ints, then the bytes (buf is declared __u32[] but buf_size counts bytes).
        int size = (2 * sizeof(int)) + ((block.Length + 3) & ~3);
        Span<byte> info = stackalloc byte[size];
        info.Clear();
        MemoryMarshal.Write(info, in bits);
        int length = block.Length;
        MemoryMarshal.Write(info[sizeof(int)..], in length);
        block.CopyTo(info[(2 * sizeof(int))..]);
        try
        {
            fixed (byte* p = info)
            {
                if (LibcIoctl.Ioctl(_handle, LibcIoctl.RndAddEntropy, p) != 0)
                {
                    throw Error("RNDADDENTROPY", Marshal.GetLastPInvokeError());
                }
            }
        }
        finally
        {
            // The bytes are key material for the kernel; do not leave a copy on the stack.
            CryptographicOperations.ZeroMemory(info);
        }
    }

    private Exception Error(string request, int errno) => errno switch
    {
        LibcIoctl.EPERM => new UnauthorizedAccessException(
            $"{request} on {Description} was refused (EPERM): crediting entropy to the kernel needs CAP_SYS_ADMIN; " +
            "run as root or grant it (systemd: AmbientCapabilities=CAP_SYS_ADMIN), or disable the kernel sink"),
        LibcIoctl.ENOTTY => new IOException(
            $"{Description} is not a kernel random device ({request}: {Marshal.GetPInvokeErrorMessage(errno)}); use /dev/random"),
        _ => new IOException($"{request} on {Description} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})"),
    };
}
