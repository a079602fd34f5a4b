namespace QrngAppliance.Devices.Tpm;

/// <summary>TPM_SU (TPM 2.0 Part 2, §6.10): the argument of <c>TPM2_Startup</c> and <c>TPM2_Shutdown</c>.</summary>
public enum TpmStartupType : ushort
{
    /// <summary>TPM_SU_CLEAR: a TPM Reset (or Restart after Shutdown(CLEAR)).</summary>
    Clear = 0x0000,

    /// <summary>TPM_SU_STATE: resume the state saved by Shutdown(STATE).</summary>
    State = 0x0001,
}
