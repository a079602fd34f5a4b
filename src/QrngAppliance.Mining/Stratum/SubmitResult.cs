namespace QrngAppliance.Mining.Stratum;

/// <summary>A pool's answer to <c>mining.submit</c>; rejections keep the pool's error code and text.</summary>
/// <param name="ErrorCode">Stratum error code (20 other, 21 job not found, 22 duplicate, 23 low difficulty,
/// 24 unauthorized, 25 not subscribed); 0 when the pool said false without an error.</param>
public sealed record SubmitResult(bool Accepted, int ErrorCode, string? ErrorMessage)
{
    public static SubmitResult Ok { get; } = new(true, 0, null);
}
