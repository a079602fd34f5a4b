using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using QrngAppliance.Systemd;

namespace QrngAppliance.IntegrationTests.Systemd;

/// <summary>The console log format: journald's syslog-priority lines under systemd, timestamped text elsewhere.</summary>
public class ApplianceConsoleTests
{
    [Theory]
    [InlineData(true, ConsoleFormatterNames.Systemd)]
    [InlineData(false, ConsoleFormatterNames.Simple)]
    public void The_console_formatter_follows_whether_systemd_runs_us(bool underSystemd, string formatter)
    {
        using var provider = Services(underSystemd);
        Assert.Equal(formatter, provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Theory]
    [InlineData(LogLevel.Warning, "<4>")]
    [InlineData(LogLevel.Information, "<6>")]
    [InlineData(LogLevel.Critical, "<2>")]
    public void Under_systemd_a_line_carries_the_syslog_priority_journald_reads(LogLevel level, string prefix)
    {
        using var provider = Services(underSystemd: true);
        var formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Systemd);
        using var output = new StringWriter();

        formatter.Write(new LogEntry<string>(level, "QrngAppliance.Pipeline.SourceWorker", new EventId(7), "truerng0 quarantined\nrct", null,
            (s, _) => s), scopeProvider: null, output);

        // One journal entry per line: the priority prefix, the category, and the message with its newline escaped.
        Assert.Equal($"{prefix}QrngAppliance.Pipeline.SourceWorker[7] truerng0 quarantined rct{Environment.NewLine}", output.ToString());
    }

    private static ServiceProvider Services(bool underSystemd) =>
        new ServiceCollection().AddLogging(b => b.AddApplianceConsole(underSystemd)).BuildServiceProvider();
}
