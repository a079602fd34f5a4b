using QrngAppliance.Devices.Tpm;

namespace QrngAppliance.Devices.Tests.Tpm;

public sealed class TpmResponseCodeTests
{
    [Theory]
    [InlineData(0x000u, "TPM_RC_SUCCESS (0x0)")]
    [InlineData(0x100u, "TPM_RC_INITIALIZE (0x100)")]
    [InlineData(0x101u, "TPM_RC_FAILURE (0x101)")]
    [InlineData(0x142u, "TPM_RC_COMMAND_SIZE (0x142)")]
    [InlineData(0x922u, "TPM_RC_RETRY (0x922)")]
    [InlineData(0x921u, "TPM_RC_LOCKOUT (0x921)")]
    [InlineData(0x18Bu, "TPM_RC_HANDLE (0x18B) in handle 1")]
    [InlineData(0x2C4u, "TPM_RC_VALUE (0x2C4) in parameter 2")]
    [InlineData(0x98Eu, "TPM_RC_AUTH_FAIL (0x98E) in session 1")]
    [InlineData(0x0B0001u, "0xB0001 from software layer 11 (not the TPM), code 0x1")]
    public void Describe_gives_spec_names_and_the_handle_session_or_parameter(uint rc, string expected) =>
        Assert.Equal(expected, TpmResponseCode.Describe(rc));
}
