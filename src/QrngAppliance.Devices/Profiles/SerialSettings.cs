namespace QrngAppliance.Devices.Profiles;

/// <summary>How to open a serial device.</summary>
/// <param name="BaudRate">A standard Linux baud rate (CDC-ACM devices such as the TrueRNG ignore it).</param>
/// <param name="Dtr">Assert DTR after open (a TrueRNG streams only while DTR is on).</param>
/// <param name="InitCommands">ASCII commands written after open, in order (OneRNG <c>cmdO</c> …); empty for a TrueRNG.</param>
public sealed record SerialSettings(int BaudRate, bool Dtr, IReadOnlyList<string> InitCommands);
