namespace QrngAppliance.IntegrationTests.Support;

/// <summary>A fact that needs PostgreSQL: skipped, with the reason shown, when <see cref="Variable"/> is unset.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "QRNG_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set (scripts/test.sh sets it after starting a local PostgreSQL)";
        }
    }
}
