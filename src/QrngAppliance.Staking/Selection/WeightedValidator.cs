namespace QrngAppliance.Staking.Selection;

/// <summary>A selectable validator and its stake weight (its bonded token stake).</summary>
public sealed record WeightedValidator(string Id, UInt128 Weight);
