namespace SagaDemo.Services.Operations;

/// <summary>
/// Who asks for an operation and under which idempotency key: stamped on the operation, so only its owner
/// sees it and a repeated key finds it. <see cref="RequestHash"/> tells a retry from a different request.
/// </summary>
public sealed record Submission(string? Owner, string? IdempotencyKey, string RequestHash)
{
    public Operation StampOn(Operation operation) =>
        operation with { Owner = Owner, IdempotencyKey = IdempotencyKey, RequestHash = RequestHash };

    /// <summary>True when <paramref name="stored"/> is an earlier operation under this key made from a different request.</summary>
    public bool ConflictsWith(Operation stored) => IdempotencyKey is not null && stored.RequestHash != RequestHash;
}
