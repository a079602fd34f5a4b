using System.Reflection;
using System.Text;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng(1)</c> in roff, generated from <see cref="CliApp.Commands"/> — each verb's summary and the usage text its
/// <c>--help</c> prints — so the page can never drift from the program (<c>qrng --man</c>).
/// </summary>
public static class ManPage
{
    /// <summary>The product version (the assembly's informational version without build metadata).</summary>
    public static string Version
    {
        get
        {
            var informational = typeof(ManPage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }
    }

    public static string Render(IReadOnlyList<ICliCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var page = new StringBuilder();
        page.Append(".TH QRNG 1 \"\" \"qrng ").Append(Escape(Version)).AppendLine("\" \"QrngAppliance\"");
        page.AppendLine(".SH NAME");
        page.AppendLine("qrng \\- hardware-attested entropy appliance: sources, health tests, signed pulses, security proofs, miner");
        page.AppendLine(".SH SYNOPSIS");
        page.AppendLine(".B qrng");
        page.AppendLine(".I COMMAND");
        page.AppendLine("[options]");
        page.AppendLine(".br");
        page.AppendLine(".B qrng");
        page.AppendLine("\\-\\-help | \\-\\-version | \\-\\-man");
        page.AppendLine(".SH DESCRIPTION");
        page.AppendLine("qrng reads physical randomness from QRNG, TPM, serial and board-level hardware, runs the SP 800\\-90B health tests");
        page.AppendLine("on every sample, pools conditioned blocks in an RFC 9162 Merkle log and publishes a signed, hash\\-chained pulse");
        page.AppendLine("over that log. Each command below prints the same text with");
        page.AppendLine(".BR \"qrng COMMAND \\-\\-help\" .");
        page.AppendLine(".SH COMMANDS");
        foreach (var command in commands)
        {
            page.Append(".SS ").AppendLine(Escape(command.Name));
            page.AppendLine(Escape(command.Summary));
            page.AppendLine(".PP");
            page.AppendLine(".nf");
            foreach (var line in command.Usage.TrimEnd().Split('\n'))
            {
                page.AppendLine(Escape(line.TrimEnd('\r')));
            }

            page.AppendLine(".fi");
        }

        page.AppendLine(".SH EXIT STATUS");
        page.AppendLine(".TP\n0\nsuccess (for verify: every check passed)");
        page.AppendLine(".TP\n1\nthe work was done and found a failure: a check failed, a health alarm, a refused request");
        page.AppendLine(".TP\n2\nunusable arguments or input, one line on standard error naming it");
        page.AppendLine(".SH ENVIRONMENT");
        page.AppendLine(".TP\n.B QRNG_Appliance__*\noverride the configuration file's keys (sections joined by a double underscore), e.g. QRNG_Appliance__Urls");
        page.AppendLine(".TP\n.B QRNG_TOKEN\nthe bearer token of client commands that need one (never an argument: any local user can read those)");
        page.AppendLine(".SH FILES");
        page.AppendLine(".TP\n.I /etc/qrng-appliance/appsettings.json\nconfiguration of the systemd unit");
        page.AppendLine(".TP\n.I /var/lib/qrng-appliance\njournal, consumption ledger and signing keys (files 0600, directories 0700)");
        page.AppendLine(".SH SEE ALSO");
        page.AppendLine(".BR systemd.exec (5),");
        page.AppendLine(".BR rngd (8)");
        return page.ToString();
    }

    /// <summary>Roff escaping: backslashes doubled, and a line starting with '.' or '\'' not read as a request.</summary>
    private static string Escape(string text)
    {
        var escaped = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal);
        return escaped.Length > 0 && escaped[0] is '.' or '\'' ? "\\&" + escaped : escaped;
    }
}
