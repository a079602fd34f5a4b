using System.Globalization;
using QrngAppliance.Staking.Cost;
using QrngAppliance.Staking.Escalation;
using QrngAppliance.Staking.Quotes;
using QrngAppliance.Staking.Values;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng stake quote</c>: tier, validators and entropy bits for a transaction value (DESIGN.md "Command line");
/// <c>qrng stake register</c>: register a validator with an appliance (<see cref="StakeRegisterRunner"/>).
/// </summary>
public sealed class StakeCommand : ICliCommand
{
    public string Name => "stake";

    public string Summary => "value-scaled staking: quote a transaction value's tier and entropy cost; register a validator";

    public string Usage =>
        """
        usage: qrng stake quote --value V [--state STATE] [--cost log2|linear] [--json]

          --value V      transaction value in whole base units, 1 .. 2^128 - 1
          --state STATE  network security state: peaceful (default), elevated, critical, under-attack
          --cost F       log2 (default, ceil(log2(v) x 1000)) or linear (max(100, v), the seed's prose examples)
          --json         the quote as POST /v1/security/quote answers it (docs/json.md): value, state, tier,
                         tier_level, value_tier, validators_required, deployment_bits, entropy_bits, cost_function

        usage: qrng stake register --id ID --token-stake N [--url URL] [--attest-url URL] [--leaves N] [--token-file FILE]

          --id ID            the validator id (a-z, 0-9, '.', '_', '-'; 1-64)
          --token-stake N    bonded token stake, whole units (at least the appliance's minimum, 1000 by default)
          --url URL          the appliance to stake with (default http://127.0.0.1:8080)
          --attest-url URL   the validator's own appliance, whose signed pulse and keys attest its hardware (default --url)
          --leaves N         pool leaves to stake, 16 .. 65536 (default 16 = 4096 bits)
          --token-file FILE  a token with stake:write (else the QRNG_TOKEN environment variable; never an argument)

        Prints the registered validator as JSON; exit 1 with the appliance's reason when it refuses.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--json"];

    public IReadOnlyList<string> ValuedOptions { get; } =
        ["--value", "--state", "--cost", "--id", "--token-stake", "--url", "--attest-url", "--leaves", "--token-file"];

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(1, "subcommand (quote or register)");
        switch (args.Positionals[0])
        {
            case "register":
                return await StakeRegisterRunner.RunAsync(args, context, cancellationToken);
            case not "quote":
                throw new UsageException($"unknown subcommand '{args.Positionals[0]}' (expected quote or register)");
        }

        if (!TransactionValue.TryParse(args.Required("--value"), out var value, out var error))
        {
            throw new UsageException("--" + error);
        }

        var stateText = args.Value("--state") ?? "peaceful";
        if (!NetworkSecurityStates.TryParse(stateText, out var state))
        {
            throw new UsageException($"--state must be one of {string.Join(", ", NetworkSecurityStates.Names)}, got '{stateText}'");
        }

        var cost = args.Choice("--cost", "log2", "log2", "linear") == "linear" ? EntropyCostPolicy.SeedExamples : EntropyCostPolicy.Default;
        var quote = new SecurityPolicy(cost, SecurityStateTable.Default).Quote(value, state);

        await context.Out.WriteAsync(args.Flag("--json") ? SecurityQuoteJson.ToJson(quote) + "\n" : ToText(quote, cost));
        return ExitCodes.Success;
    }

    private static string ToText(SecurityQuote quote, EntropyCostPolicy cost)
    {
        var floor = cost.FloorBits > 0 ? $", floor {cost.FloorBits}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"""
            value          {quote.Value}
            state          {NetworkSecurityStates.ToName(quote.State)}
            tier           {quote.Tier} (tier {(int)quote.Tier}; value alone: {quote.ValueTier})
            validators     {quote.Validators}
            entropy_bits   {quote.EntropyBits}
            cost_function  {quote.CostFunction}: {cost.Function.Formula}{floor}, x{SecurityStateTable.Default[quote.State].CostMultiplier} for {NetworkSecurityStates.ToName(quote.State)}

            """);
    }
}
