namespace QrngAppliance.Storage.Consumption;

/// <summary>What <see cref="IConsumptionLedger.ConsumeAsync"/> did; <see cref="Record"/> is the stored record.</summary>
public sealed record ConsumeResult(ConsumeOutcome Outcome, ConsumptionRecord Record);
