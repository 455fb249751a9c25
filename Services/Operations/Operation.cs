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
    Guid? SubjectId)
{
    /// <summary>Client id of the caller that created it (null: anonymous, access control off). Only its owner can see it.</summary>
    public string? Owner { get; init; }

    /// <summary>The caller's <c>Idempotency-Key</c>, unique per owner; a repeated key finds this operation instead of creating one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Fingerprint of the request that created it, so a reused key with a different request is told apart.</summary>
    public string? RequestHash { get; init; }
}

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

    /// <summary>Whether the API runs operations of <paramref name="type"/>; any other is refused at once (compat route).</summary>
    public static bool IsRun(string type) => type is UserCreate or OrderCreate;
}
