using System.Security.Cryptography;
using QrngAppliance.Pipeline;
using QrngAppliance.Proofs.MlDsa;
using QrngAppliance.Proofs.Pulses;
using QrngAppliance.Proofs.Signing;

namespace QrngAppliance.Keys;

/// <summary>
/// The appliance's signing keys under <c>DATA/keys/</c>, created on first start with mode 0600 inside a
/// 0700 folder. Key material is never logged; only key ids are.
/// </summary>
public static class SigningKeyStore
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>Loads the Ed25519 key, generating it if absent. A malformed or group/world-readable key file is an error.</summary>
    public static Ed25519PulseSigner LoadOrCreateEd25519(string dataDir)
    {
        var seed = LoadOrCreate(Path.Combine(dataDir, "keys", "ed25519.key"), Ed25519.SeedSize);
        try
        {
            return new Ed25519PulseSigner(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Loads the ML-DSA-65 key, generating it if absent. The file holds the 32-byte seed ξ (FIPS 204 Alg. 6),
    /// from which the key pair is derived at start; the 4032-byte secret key never touches the disk.</summary>
    public static MlDsa65PulseSigner LoadOrCreateMlDsa65(string dataDir)
    {
        var seed = LoadOrCreate(Path.Combine(dataDir, "keys", "ml-dsa-65.seed"), MlDsaScheme.SeedBytes);
        try
        {
            return new MlDsa65PulseSigner(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The secret from which pulses' local random values are derived (see <c>PulseChain</c>); 32 bytes.</summary>
    public static byte[] LoadOrCreateLocalRandomKey(string dataDir) =>
        LoadOrCreate(Path.Combine(dataDir, "keys", "local-random.key"), 32);

    /// <summary>
    /// Rotates both pulse-signing keys: fresh seeds are written 0600 beside the current files (<c>.next</c>), the
    /// chain emits a rotation pulse signed by the old keys naming the new ones, and only then do the new files
    /// replace the old. A crash before the rename leaves the old keys with a chain info naming the new ones, so
    /// the next start begins a new chain (logged) rather than signing with keys the chain does not expect.
    /// </summary>
    public static async Task<Pulse> RotateAsync(string dataDir, PulseChain chain, CancellationToken cancellationToken)
    {
        var ed25519Path = Path.Combine(dataDir, "keys", "ed25519.key");
        var mlDsaPath = Path.Combine(dataDir, "keys", "ml-dsa-65.seed");
        var ed25519Seed = RandomNumberGenerator.GetBytes(Ed25519.SeedSize);
        var mlDsaSeed = RandomNumberGenerator.GetBytes(MlDsaScheme.SeedBytes);
        try
        {
            WriteKeyFile(ed25519Path + ".next", ed25519Seed);
            WriteKeyFile(mlDsaPath + ".next", mlDsaSeed);
            var pulse = await chain.RotateAsync([new Ed25519PulseSigner(ed25519Seed), new MlDsa65PulseSigner(mlDsaSeed)], cancellationToken);
            File.Move(ed25519Path + ".next", ed25519Path, overwrite: true);
            File.Move(mlDsaPath + ".next", mlDsaPath, overwrite: true);
            return pulse;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ed25519Seed);
            CryptographicOperations.ZeroMemory(mlDsaSeed);
        }
    }

    internal static byte[] LoadOrCreate(string path, int size)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        if (File.Exists(path))
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~OwnerOnly) != 0)
            {
                throw new InvalidOperationException($"key file {path} has mode {Convert.ToString((int)mode, 8)}; it must be 0600 (chmod 600 {path})");
            }

            var text = File.ReadAllText(path).Trim();
            byte[] key;
            try
            {
                key = Convert.FromHexString(text);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"key file {path} is not hex");
            }

            return key.Length == size ? key : throw new InvalidOperationException($"key file {path} holds {key.Length} bytes, expected {size}");
        }

        var fresh = RandomNumberGenerator.GetBytes(size);
        var temp = path + ".tmp";
        WriteKeyFile(temp, fresh);
        File.Move(temp, path, overwrite: false);
        return fresh;
    }

    /// <summary>Creates the file with 0600 from the start (no window where it is readable by others), hex inside.</summary>
    private static void WriteKeyFile(string path, byte[] key)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
            Options = FileOptions.WriteThrough,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(Convert.ToHexStringLower(key));
    }
}
