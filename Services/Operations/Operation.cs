using System.Text.Json;

namespace SagaDemo.Services.Operations;

/// <summary>
/// One client request being worked on asynchronously. <see cref="Request"/> is the body as the
/// client sent it (the compatibility envelope's <c>data</c>); <see cref="SubjectId"/> is the user or
/// order the operation created or tried to create.
/// </summary>
public sealed record Operation(
    Guid Id,
    string Type,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonElement Request,
    JsonElement? Result,
    string? Error,
    Guid? SubjectId);

/// <summary>How an operation ended; applied once, to a pending operation only.</summary>
public sealed record OperationOutcome(string Status, JsonElement? Result, string? Error, Guid? SubjectId);

public static class OperationStatus
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

public static class OperationTypes
{
    public const string UserCreate = "user-create";
    public const string OrderCreate = "order-create";
}
