using SagaDemo.Services.Http;

namespace SagaDemo.Services.Operations;

/// <summary>The operations API: create an operation (202), then poll it.</summary>
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
        var body = await JsonRequestBody.ReadObjectAsync(http, ct);
        if (body.Problem is not null)
            return body.Problem;
        var (request, problem) = JsonRequestBody.Bind<UserCreateRequest>(body.Body);
        if (problem is not null)
            return problem;
        var errors = OperationRequestValidation.Validate(request!);
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var data = System.Text.Json.JsonSerializer.SerializeToElement(
            new UserCreateRequest(request!.Name!.Trim(), request.Email), JsonRequestBody.Options);
        return Accepted(http, await submitter.SubmitUserCreateAsync(request, data, ct));
    }

    static async Task<IResult> CreateOrderAsync(HttpRequest http, OperationSubmitter submitter, CancellationToken ct)
    {
        var body = await JsonRequestBody.ReadObjectAsync(http, ct);
        if (body.Problem is not null)
            return body.Problem;
        var (request, problem) = JsonRequestBody.Bind<OrderCreateRequest>(body.Body);
        if (problem is not null)
            return problem;
        var errors = OperationRequestValidation.Validate(request!);
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var data = System.Text.Json.JsonSerializer.SerializeToElement(request, JsonRequestBody.Options);
        return Accepted(http, await submitter.SubmitOrderCreateAsync(request!, data, ct));
    }

    static async Task<IResult> GetAsync(string id, IOperationStore store, CancellationToken ct)
    {
        if (!Problems.TryParseId(id, out var operationId, out var invalid))
            return invalid!;
        var operation = await store.FindAsync(operationId, ct);
        return operation is null
            ? Problems.NotFound($"Operation {operationId} does not exist.")
            : Results.Ok(OperationView.From(operation));
    }

    static IResult Accepted(HttpRequest http, Operation operation)
    {
        if (operation.Error == OperationSubmitter.NotSubmittedError)
            return Problems.Unavailable($"Operation {operation.Id} was stored but could not be submitted; it has failed.");
        http.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Accepted($"/operations/{operation.Id}", OperationView.From(operation));
    }
}
