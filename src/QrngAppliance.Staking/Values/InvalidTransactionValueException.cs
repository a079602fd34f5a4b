namespace QrngAppliance.Staking.Values;

/// <summary>A transaction value that is not an integer in [1, 2^128 − 1]; the message is one line naming the problem.</summary>
public sealed class InvalidTransactionValueException(string message) : ArgumentException(message);
