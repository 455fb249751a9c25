using System.Text.Json.Nodes;
using SagaDemo.Services.Http;

namespace SagaDemo.Services.Operations;

/// <summary>
/// The original demo's routes for its existing clients: HTTP 200 with its envelope, and
/// <c>{}</c> for an unknown uuid (any string the original could not find, UUID or not), which is also
/// the answer for another caller's operation. <c>Idempotency-Key</c> works as on the new routes, answering 200.
/// </summary>
public static class CompatOperationsEndpoints
{
    public static IEndpointRouteBuilder MapCompatOperations(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/operation/create/{name}", CreateAsync)
            .WithName("CompatCreateOperation").WithTags("Compatibility")
            .WithSummary("Create an operation (original demo)")
            .WithDescription("200 with the original demo's envelope. Only user-create runs (body as for POST /operations/user-create); any other name is stored and answered failed at once.")
            .CreatesOperation<System.Text.Json.Nodes.JsonObject, CompatOperation>(StatusCodes.Status200OK);
        routes.MapGet("/operation/get/{uuid}", GetAsync)
            .WithName("CompatGetOperation").WithTags("Compatibility")
            .WithSummary("Get an operation (original demo)")
            .WithDescription("200 with the envelope, or {} for an unknown (or another client's) uuid, as the original answered.")
            .ProducesOrEmptyObject<CompatOperation>(StatusCodes.Status200OK);
        return routes;
    }

    static async Task<IResult> CreateAsync(string name, HttpRequest http, OperationSubmitter submitter, Admission.OperationAdmission admission,
        CancellationToken ct)
    {
        if (name.Length > RequestLimits.MaxOperationNameLength)
            return Problems.BadRequest($"The operation name must be at most {RequestLimits.MaxOperationNameLength} characters.");
        var (key, badKey) = IdempotencyKey.Read(http);
        if (badKey is not null)
            return badKey;
        var body = await JsonRequestBody.ReadObjectAsync(http, ct);
        if (body.Problem is not null)
            return body.Problem;
        var submission = OperationsEndpoints.SubmissionOf(http, key, name, body.Body);

        if (name != OperationTypes.UserCreate)
            return Envelope(submission, await submitter.RecordNotAllowedAsync(name, body.Body, submission, ct));

        var (request, problem) = JsonRequestBody.Bind<UserCreateRequest>(body.Body);
        if (problem is not null)
            return problem;
        var errors = OperationRequestValidation.Validate(request!);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        // Overload is answered as this route answers its other errors: a problem (503 with Retry-After), not an envelope.
        var admitted = admission.TryAdmit(submission.Owner, name);
        if (!admitted.Admitted)
            return OperationsEndpoints.Overloaded(http, admitted);
        using var stored = admitted.Ticket; // counted as stored once the submit is done

        var operation = await submitter.SubmitUserCreateAsync(request!, body.Body, submission, ct);
        if (operation.Error == OperationSubmitter.NotSubmittedError && !submission.ConflictsWith(operation))
            return Problems.Unavailable($"Operation {operation.Id} was stored but could not be submitted; it has failed.");
        return Envelope(submission, operation);
    }

    static IResult Envelope(Submission submission, Operation operation) =>
        submission.ConflictsWith(operation) ? IdempotencyKey.ReusedProblem() : Results.Ok(CompatEnvelope.From(operation));

    static async Task<IResult> GetAsync(string uuid, HttpContext http, IOperationStore store, CancellationToken ct)
    {
        var operation = Guid.TryParse(uuid, out var id) ? await OperationsEndpoints.FindOwnAsync(store, id, http, ct) : null;
        return operation is null ? Results.Ok(new JsonObject()) : Results.Ok(CompatEnvelope.From(operation));
    }
}
