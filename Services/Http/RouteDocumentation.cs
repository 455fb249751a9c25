namespace SagaDemo.Services.Http;

/// <summary>
/// OpenAPI metadata shared by routes. Pure metadata: unlike <c>.Accepts&lt;T&gt;()</c>, which makes routing match on
/// the request's content type (a text/plain POST would then miss the route and fall through to another one), it
/// changes no answer; the host's document transformer turns it into the request body and responses it describes.
/// </summary>
public static class RouteDocumentation
{
    /// <summary>
    /// The route reads a <typeparamref name="TBody"/> JSON object through <see cref="JsonRequestBody"/>: besides its
    /// own answers it gives 400 (syntax, JSON types, validation with per-field <c>errors</c>), 413 and 415.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJsonBody<TBody>(this RouteHandlerBuilder route) where TBody : notnull =>
        route.WithMetadata(new JsonRequestBodyMetadata(typeof(TBody)))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>
    /// A create route: reads a <typeparamref name="TBody"/>, answers <paramref name="statusCode"/> with a
    /// <typeparamref name="TAnswer"/>, or 422 when its <c>Idempotency-Key</c> was used for another request.
    /// </summary>
    public static RouteHandlerBuilder CreatesOperation<TBody, TAnswer>(this RouteHandlerBuilder route, int statusCode) where TBody : notnull =>
        route.AcceptsJsonBody<TBody>()
            .Produces<TAnswer>(statusCode)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>The route answers <paramref name="statusCode"/> with a <typeparamref name="T"/>, or with <c>{}</c>.</summary>
    public static RouteHandlerBuilder ProducesOrEmptyObject<T>(this RouteHandlerBuilder route, int statusCode) =>
        route.Produces<T>(statusCode).WithMetadata(new EmptyObjectAnswerMetadata(statusCode));
}

/// <summary>The route's JSON request body, read by hand (<see cref="JsonRequestBody"/>), is a <see cref="Type"/>.</summary>
public sealed record JsonRequestBodyMetadata(Type Type)
{
    public static readonly IReadOnlyList<string> ContentTypes = ["application/json"];
}

/// <summary>Besides its documented schema, the answer with this status may be an empty JSON object.</summary>
public sealed record EmptyObjectAnswerMetadata(int StatusCode);
