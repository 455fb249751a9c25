using System.Text.Json;
using SagaDemo.Services.Http;
using SagaDemo.Services.Http.Access;
using SagaDemo.Services.Operations.Admission;

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
        routes.MapPost("/operations/user-create", CreateUserAsync)
            .WithName("CreateUser").WithTags("Operations")
            .WithSummary("Create a user")
            .WithDescription("Answers 202 with the pending operation at once; poll Location until it is completed or failed (a denied name fails).")
            .CreatesOperation<UserCreateRequest, OperationView>(StatusCodes.Status202Accepted);
        routes.MapPost("/operations/order-create", CreateOrderAsync)
            .WithName("CreateOrder").WithTags("Operations")
            .WithSummary("Place an order")
            .WithDescription("Answers 202 with the pending operation at once; poll Location until it is completed or failed (out of stock, payment declined).")
            .CreatesOperation<OrderCreateRequest, OperationView>(StatusCodes.Status202Accepted);
        // Literal routes above win over this one; any other type is an unknown resource. Not an operation a client
        // can use (and its template would clash with GET /operations/{id} in the document): the document says it in words.
        routes.MapPost("/operations/{type}", (string type) =>
            Problems.NotFound($"Unknown operation type '{type}'. Known types: user-create, order-create."))
            .ExcludeFromDescription();
        routes.MapGet("/operations/{id}", GetAsync)
            .WithName("GetOperation").WithTags("Operations")
            .WithSummary("Get an operation")
            .WithDescription("The operation's current state; another client's operation answers 404 like an unknown one.")
            .Produces<OperationView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapCompatOperations();
        return routes;
    }

    static async Task<IResult> CreateUserAsync(HttpRequest http, OperationSubmitter submitter, OperationAdmission admission, CancellationToken ct)
    {
        var create = await ReadCreateAsync<UserCreateRequest>(http, OperationTypes.UserCreate, OperationRequestValidation.Validate, ct);
        if (create.Problem is not null)
            return create.Problem;
        var admitted = admission.TryAdmit(create.Submission!.Owner, OperationTypes.UserCreate);
        if (!admitted.Admitted)
            return Overloaded(http, admitted);
        using var stored = admitted.Ticket; // counted as stored once the submit is done
        var request = create.Request!;
        var data = JsonSerializer.SerializeToElement(new UserCreateRequest(request.Name!.Trim(), request.Email), JsonRequestBody.Options);
        return Accepted(http, create.Submission!, await submitter.SubmitUserCreateAsync(request, data, create.Submission!, ct));
    }

    static async Task<IResult> CreateOrderAsync(HttpRequest http, OperationSubmitter submitter, OperationAdmission admission, CancellationToken ct)
    {
        var create = await ReadCreateAsync<OrderCreateRequest>(http, OperationTypes.OrderCreate, OperationRequestValidation.Validate, ct);
        if (create.Problem is not null)
            return create.Problem;
        var admitted = admission.TryAdmit(create.Submission!.Owner, OperationTypes.OrderCreate);
        if (!admitted.Admitted)
            return Overloaded(http, admitted);
        using var stored = admitted.Ticket; // counted as stored once the submit is done
        var data = JsonSerializer.SerializeToElement(create.Request, JsonRequestBody.Options);
        return Accepted(http, create.Submission!, await submitter.SubmitOrderCreateAsync(create.Request!, data, create.Submission!, ct));
    }

    /// <summary>What every create route does first: idempotency key, JSON body, binding, validation.</summary>
    static async Task<(T? Request, Submission? Submission, IResult? Problem)> ReadCreateAsync<T>(
        HttpRequest http, string type, Func<T, Dictionary<string, string[]>> validate, CancellationToken ct) where T : class
    {
        var (key, badKey) = IdempotencyKey.Read(http);
        if (badKey is not null)
            return (null, null, badKey);
        var body = await JsonRequestBody.ReadObjectAsync(http, ct);
        if (body.Problem is not null)
            return (null, null, body.Problem);
        var (request, problem) = JsonRequestBody.Bind<T>(body.Body);
        if (problem is not null)
            return (null, null, problem);
        var errors = validate(request!);
        if (errors.Count > 0)
            return (null, null, Problems.Invalid(errors));
        return (request, SubmissionOf(http, key, type, body.Body), null);
    }

    /// <summary>
    /// A valid create the system cannot finish in time right now (admission control, asked after the request was read and
    /// validated, so bad input still gets its 4xx): 503 with Retry-After.
    /// </summary>
    public static IResult Overloaded(HttpRequest http, AdmissionDecision shed)
    {
        http.HttpContext.Response.Headers.RetryAfter = shed.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Overloaded(shed.Detail!);
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
