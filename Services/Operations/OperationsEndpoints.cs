using System.Text.Json;
using SagaDemo.Services.Http;
using SagaDemo.Services.Http.Access;

namespace SagaDemo.Services.Operations;

/// <summary>
/// The operations API: create an operation (202), then poll it. A caller sees only the operations it
/// created: another caller's id answers 404 like an unknown one, so ids tell nothing. A repeated
/// <c>Idempotency-Key</c> answers the operation it created, in its current state, and starts nothing.
/// </summary>
public static class OperationsEndpoints
{
    /// <summary>Seconds a client should wait before polling; the flows take a fraction of a second.</summary>
    public const int RetryAfterSeconds = 1;

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/operations/user-create", CreateUserAsync);
        routes.MapPost("/operations/order-create", CreateOrderAsync);
        // Literal routes above win over this one; any other type is an unknown resource.
        routes.MapPost("/operations/{type}", (string type) =>
            Problems.NotFound($"Unknown operation type '{type}'. Known types: user-create, order-create."));
        routes.MapGet("/operations/{id}", GetAsync);
        routes.MapCompatOperations();
        return routes;
    }

    static async Task<IResult> CreateUserAsync(HttpRequest http, OperationSubmitter submitter, CancellationToken ct)
    {
        var (key, badKey) = IdempotencyKey.Read(http);
        if (badKey is not null)
            return badKey;
        var body = await JsonRequestBody.ReadObjectAsync(http, ct);
        if (body.Problem is not null)
            return body.Problem;
        var (request, problem) = JsonRequestBody.Bind<UserCreateRequest>(body.Body);
        if (problem is not null)
            return problem;
        var errors = OperationRequestValidation.Validate(request!);
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var data = JsonSerializer.SerializeToElement(new UserCreateRequest(request!.Name!.Trim(), request.Email), JsonRequestBody.Options);
        var submission = SubmissionOf(http, key, OperationTypes.UserCreate, body.Body);
        return Accepted(http, submission, await submitter.SubmitUserCreateAsync(request, data, submission, ct));
    }

    static async Task<IResult> CreateOrderAsync(HttpRequest http, OperationSubmitter submitter, CancellationToken ct)
    {
        var (key, badKey) = IdempotencyKey.Read(http);
        if (badKey is not null)
            return badKey;
        var body = await JsonRequestBody.ReadObjectAsync(http, ct);
        if (body.Problem is not null)
            return body.Problem;
        var (request, problem) = JsonRequestBody.Bind<OrderCreateRequest>(body.Body);
        if (problem is not null)
            return problem;
        var errors = OperationRequestValidation.Validate(request!);
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var data = JsonSerializer.SerializeToElement(request, JsonRequestBody.Options);
        var submission = SubmissionOf(http, key, OperationTypes.OrderCreate, body.Body);
        return Accepted(http, submission, await submitter.SubmitOrderCreateAsync(request!, data, submission, ct));
    }

    static async Task<IResult> GetAsync(string id, HttpContext http, IOperationStore store, CancellationToken ct)
    {
        if (!Problems.TryParseId(id, out var operationId, out var invalid))
            return invalid!;
        return await FindOwnAsync(store, operationId, http, ct) is { } operation
            ? Results.Ok(OperationView.From(operation))
            : Problems.NotFound($"Operation {operationId} does not exist.");
    }

    /// <summary>The operation when it exists and belongs to the caller; null otherwise (the two are not told apart).</summary>
    public static async Task<Operation?> FindOwnAsync(IOperationStore store, Guid id, HttpContext http, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } operation && operation.Owner == ClientIdentity.Of(http) ? operation : null;

    public static Submission SubmissionOf(HttpRequest http, string? key, string type, JsonElement body) =>
        new(ClientIdentity.Of(http.HttpContext), key, IdempotencyKey.Fingerprint(type, body));

    static IResult Accepted(HttpRequest http, Submission submission, Operation operation)
    {
        if (submission.ConflictsWith(operation))
            return IdempotencyKey.ReusedProblem();
        if (operation.Error == OperationSubmitter.NotSubmittedError)
            return Problems.Unavailable($"Operation {operation.Id} was stored but could not be submitted; it has failed.");
        http.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Accepted($"/operations/{operation.Id}", OperationView.From(operation));
    }
}
