namespace QrngAppliance.Staking.Escalation;

/// <summary>Severity of an attack signal (the seed's <c>ThreatLevel</c>): Low → Elevated, Medium → Critical, High → UnderAttack.</summary>
public enum ThreatLevel
{
    Low = 1,
    Medium = 2,
    High = 3,
}
