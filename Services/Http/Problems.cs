namespace SagaDemo.Services.Http;

/// <summary>RFC 9457 problem answers used by every route, so each status reads the same everywhere.</summary>
public static class Problems
{
    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "One or more fields are invalid.");

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult TooLarge() =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"The request body must not exceed {RequestLimits.MaxBodyBytes} bytes.");

    public static IResult UnsupportedMediaType() =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            detail: "The request body must be JSON (Content-Type: application/json).");

    public static IResult Unavailable(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);

    /// <summary>A valid create shed by admission control; the caller sets Retry-After.</summary>
    public static IResult Overloaded(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Overloaded: retry later", detail: detail);

    /// <summary>Ids in paths are UUIDs; anything else is a client error, told apart from an unknown id (404).</summary>
    public static bool TryParseId(string raw, out Guid id, out IResult? problem)
    {
        if (Guid.TryParse(raw, out id))
        {
            problem = null;
            return true;
        }
        problem = BadRequest($"'{Truncate(raw)}' is not a valid UUID.");
        return false;
    }

    static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
