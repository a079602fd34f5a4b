using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using QrngAppliance.Staking.Registry;

namespace QrngAppliance.Cli;

/// <summary>
/// <c>qrng stake register</c>: the whole registration a validator operator would otherwise assemble by hand. It fetches
/// a fresh attestation (a signed pulse and the keys) from the validator's own appliance, the newest unreserved leaves
/// and their root from the appliance it stakes with, and posts the registration there with a <c>stake:write</c> token.
/// </summary>
internal static class StakeRegisterRunner
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var url = ApplianceHttp.BaseUrl(args.Value("--url") ?? "http://127.0.0.1:8080", "--url");
        var attestUrl = args.Value("--attest-url") is { } given ? ApplianceHttp.BaseUrl(given, "--attest-url") : url;
        var id = args.Required("--id");
        if (!ValidatorIds.IsValid(id))
        {
            throw new UsageException($"--id must be 1-{ValidatorIds.MaxLength} characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }

        var stakeText = args.Required("--token-stake");
        if (!UInt128.TryParse(stakeText, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"--token-stake must be a whole number from 0 to 2^128 - 1, got '{stakeText}'");
        }

        var leaves = args.Int32("--leaves", RegistryOptions.Default.MinEntropyStakeLeaves, RegistryOptions.Default.MinEntropyStakeLeaves,
            RegistryOptions.Default.MaxEntropyStakeLeaves);
        var token = await ClientToken.ReadAsync(args.Value("--token-file"), "stake:write", cancellationToken);

        using var http = new HttpClient { Timeout = s_timeout };
        try
        {
            var attestation = await ApplianceHttp.GetJsonAsync(http, new Uri(attestUrl, "v1/attestation"), cancellationToken);
            var stakeable = await ApplianceHttp.GetJsonAsync(http, new Uri(url, $"v1/security/stakeable-leaves?count={leaves}"), cancellationToken);
            var body = Registration(id, stakeText, stakeable, attestation);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "v1/validators"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await context.Error.WriteLineAsync($"registration refused ({(int)response.StatusCode}): {ApplianceHttp.ErrorOf(text)}");
                return ExitCodes.Failure;
            }

            await context.Out.WriteLineAsync(text);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidDataException
                                  && !cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"registration failed: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string Registration(string id, string tokenStake, JsonElement stakeable, JsonElement attestation)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("token_stake", tokenStake);
            json.WritePropertyName("entropy_stake");
            stakeable.WriteTo(json);
            json.WritePropertyName("attestation");
            attestation.WriteTo(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
