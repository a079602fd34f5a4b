namespace QrngAppliance.Api;

/// <summary>Every API error body: <c>{"error": "..."}</c>.</summary>
public sealed record ApiError(string Error)
{
    public static IResult BadRequest(string message) => Results.Json(new ApiError(message), ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string message) => Results.Json(new ApiError(message), ApiJson.Options, statusCode: StatusCodes.Status404NotFound);

    public static IResult Unavailable(string message) => Results.Json(new ApiError(message), ApiJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
}
