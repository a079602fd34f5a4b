namespace QrngAppliance.Cli;

/// <summary><c>qrng verify --chain FILE</c>: checks an exported pulse chain offline (see <see cref="ChainVerifyRunner"/>).</summary>
public sealed class VerifyCommand : ICliCommand
{
    public string Name => "verify";

    public string Summary => "verify exported pulses offline: both signatures, links, skip-links, precommitments, chain info";

    public string Usage =>
        """
        usage: qrng verify --chain FILE (--chain-info FILE | --keys FILE) [--json]

          --chain FILE       pulses: the JSON array GET /v1/pulses?from=&to= serves, or a binary export (QRNG-PULSES)
          --chain-info FILE  the JSON GET /v1/chain-info serves: pins keys, appliance id, genesis (checks chain_info_hash)
          --keys FILE        the JSON GET /v1/keys serves: keys only (chain_info_hash must stay constant between rotations)
          --json             one JSON object: ok, pulses, first_seq, last_seq, rotations, or the failing seq and check

        Exit 0 when every check passes, 1 at the first failing check (pulse seq and check named), 2 on unreadable input.
        """;

    public IReadOnlyList<string> Flags { get; } = ["--json"];

    public IReadOnlyList<string> ValuedOptions { get; } = ["--chain", "--chain-info", "--keys"];

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.ExpectPositionals(0, "nothing");
        var chain = args.Required("--chain");
        var chainInfo = args.Value("--chain-info");
        var keys = args.Value("--keys");
        if ((chainInfo is null) == (keys is null))
        {
            throw new UsageException("give exactly one of --chain-info FILE or --keys FILE (the trust anchor)");
        }

        return ChainVerifyRunner.RunAsync(chain, chainInfo, keys, args.Flag("--json"), context, cancellationToken);
    }
}
