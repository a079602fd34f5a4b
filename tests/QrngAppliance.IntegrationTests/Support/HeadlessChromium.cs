namespace QrngAppliance.IntegrationTests.Support;

/// <summary>
/// Debian's Chromium (scripts/install-test-deps.sh) run headless from its command line, for pages that need no
/// interaction: a screenshot, or the DOM as the browser parsed it. Each run gets a fresh profile folder, deleted after,
/// and the flags that keep it off this machine's closed network.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    /// <summary>Renders <paramref name="url"/> in a <paramref name="width"/> × <paramref name="height"/> window into a PNG at <paramref name="png"/>.</summary>
    public static async Task ScreenshotAsync(string url, string png, int width, int height)
    {
        var (code, _, error) = await RunAsync(url, $"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars");
        Assert.True(code == 0 && File.Exists(png), $"chromium exited {code} without {png}:\n{error}");
    }

    /// <summary>The document as Chromium parsed it.</summary>
    public static async Task<string> DumpDomAsync(string url)
    {
        var (code, dom, error) = await RunAsync(url, "--dump-dom");
        Assert.True(code == 0, $"chromium exited {code}:\n{error}");
        return dom;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string url, params string[] arguments)
    {
        var chromium = ExternalTool.Require("chromium", "chromium");
        var profile = Directory.CreateTempSubdirectory("qrng-chromium-");
        try
        {
            return await ExternalTool.RunAsync(chromium,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}", .. arguments, url,
                ],
                timeout: s_timeout);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
