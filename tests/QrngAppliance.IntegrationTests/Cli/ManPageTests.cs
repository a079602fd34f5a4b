using QrngAppliance.Cli;

namespace QrngAppliance.IntegrationTests.Cli;

public sealed class ManPageTests
{
    private static async Task<(int Exit, string Out)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliContext(stdout, TextWriter.Null, Stream.Null, false));
        return (exit, stdout.ToString());
    }

    [Fact]
    public async Task Version_prints_the_product_version()
    {
        var (exit, output) = await RunAsync("--version");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches(@"^qrng \d+\.\d+\.\d+\n$", output);
    }

    [Fact]
    public async Task The_man_page_has_a_section_per_command_with_its_usage()
    {
        var (exit, page) = await RunAsync("--man");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith(".TH QRNG 1 ", page, StringComparison.Ordinal);
        foreach (var command in CliApp.Commands)
        {
            Assert.Contains($".SS {command.Name.Replace("-", "\\-", StringComparison.Ordinal)}\n", page, StringComparison.Ordinal);
            var firstUsageLine = command.Usage.TrimStart().Split('\n')[0].TrimEnd();
            Assert.Contains(firstUsageLine.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal), page, StringComparison.Ordinal);
        }

        Assert.Contains(".SH EXIT STATUS", page, StringComparison.Ordinal);
    }
}
