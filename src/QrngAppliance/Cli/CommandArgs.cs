using System.Globalization;
using System.Numerics;

namespace QrngAppliance.Cli;

/// <summary>
/// Parsed arguments of one verb: <c>--flag</c>, <c>--name value</c> or <c>--name=value</c>, and positionals.
/// Every option a verb accepts is declared, so a typo is an error rather than silently ignored.
/// </summary>
public sealed class CommandArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    private CommandArgs()
    {
    }

    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>Parses <paramref name="args"/>; options are named with their leading dashes.</summary>
    public static CommandArgs Parse(IReadOnlyList<string> args, IEnumerable<string> flags, IEnumerable<string> valued)
    {
        var flagSet = flags.ToHashSet(StringComparer.Ordinal);
        var valuedSet = valued.ToHashSet(StringComparer.Ordinal);
        var parsed = new CommandArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                parsed._positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith('-') || arg.Length == 1)
            {
                parsed._positionals.Add(arg);
                continue;
            }

            var name = arg;
            string? inlineValue = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }

            if (flagSet.Contains(name))
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"{name} takes no value");
                }

                parsed._flags.Add(name);
            }
            else if (valuedSet.Contains(name))
            {
                var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value"));
                if (!parsed._values.TryAdd(name, value))
                {
                    throw new UsageException($"{name} given twice");
                }
            }
            else
            {
                throw new UsageException($"unknown option {name}");
            }
        }

        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) => Value(name) ?? throw new UsageException($"{name} is required");

    /// <summary>An integer option within [min, max]; absent gives <paramref name="fallback"/>.</summary>
    public long Int64(string name, long fallback, long min, long max)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new UsageException($"{name} must be a whole number, got '{text}'");
        }

        if (value < min || value > max)
        {
            throw new UsageException($"{name} must be between {min} and {max}, got {text}");
        }

        return (long)value;
    }

    public int Int32(string name, int fallback, int min, int max) => (int)Int64(name, fallback, min, max);

    /// <summary>A choice among fixed words; absent gives <paramref name="fallback"/>.</summary>
    public string Choice(string name, string fallback, params string[] choices)
    {
        var value = Value(name) ?? fallback;
        return choices.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new UsageException($"{name} must be one of {string.Join(", ", choices)}, got '{value}'");
    }

    /// <summary>Exactly <paramref name="count"/> positionals, named for the error message.</summary>
    public void ExpectPositionals(int count, string what)
    {
        if (_positionals.Count < count)
        {
            throw new UsageException($"missing {what}");
        }

        if (_positionals.Count > count)
        {
            throw new UsageException($"unexpected argument '{_positionals[count]}'");
        }
    }
}
