using System.Diagnostics;
using System.Text.Json.Nodes;

namespace QrngAppliance.Proofs.Tests.MlDsa;

/// <summary>
/// Runs tests/interop/mldsa65.mjs (@noble/post-quantum ML-DSA-65 under node) once for a batch of
/// requests. scripts/install-test-npm.sh installs the package, so a missing node or package is a
/// failure with a message saying what to run, never a skip.
/// </summary>
internal static class NoblePeer
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    public static JsonArray Run(JsonArray requests)
    {
        string interopDir = FindInteropDirectory();
        string script = Path.Combine(interopDir, "mldsa65.mjs");
        if (!Directory.Exists(Path.Combine(interopDir, "node_modules", "@noble", "post-quantum")))
        {
            throw new InvalidOperationException($"@noble/post-quantum is not installed in {interopDir}; run scripts/install-test-npm.sh");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = interopDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run 'node' ({e.Message}); install Node.js >= 20.19 and run scripts/install-test-npm.sh", e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(requests.ToJsonString());
            process.StandardInput.Close();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {script} did not finish within {s_timeout.TotalSeconds} s");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {stderr.Result}");
            }

            return JsonNode.Parse(stdout.Result)?.AsArray() ?? throw new InvalidDataException("node printed no JSON");
        }
    }

    /// <summary>The repository's tests/interop, found by walking up from the test assembly.</summary>
    private static string FindInteropDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "mldsa65.mjs")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/interop/mldsa65.mjs not found above {AppContext.BaseDirectory}");
    }

    /// <param name="hash">A noble pre-hash name ("SHA-512", …) for HashML-DSA, or null for pure ML-DSA.</param>
    public static JsonObject VerifyRequest(byte[] pk, byte[] msg, byte[] ctx, byte[] sig, string? hash = null) => WithHash(hash, new()
    {
        ["op"] = "verify",
        ["pk"] = Convert.ToHexString(pk),
        ["msg"] = Convert.ToHexString(msg),
        ["ctx"] = Convert.ToHexString(ctx),
        ["sig"] = Convert.ToHexString(sig),
    });

    /// <param name="hash">A noble pre-hash name ("SHA-512", …) for HashML-DSA, or null for pure ML-DSA.</param>
    public static JsonObject SignRequest(byte[] seed, byte[] msg, byte[] ctx, string? hash = null) => WithHash(hash, new()
    {
        ["op"] = "sign",
        ["seed"] = Convert.ToHexString(seed),
        ["msg"] = Convert.ToHexString(msg),
        ["ctx"] = Convert.ToHexString(ctx),
    });

    private static JsonObject WithHash(string? hash, JsonObject request)
    {
        if (hash is not null)
        {
            request["hash"] = hash;
        }

        return request;
    }

    public static bool Valid(JsonNode? result) => result?["valid"]?.GetValue<bool>() ?? throw new InvalidDataException($"no 'valid' in {result?.ToJsonString()}");

    public static byte[] HexField(JsonNode? result, string name) => Convert.FromHexString(result?[name]?.GetValue<string>() ?? throw new InvalidDataException($"no '{name}' in {result?.ToJsonString()}"));
}
