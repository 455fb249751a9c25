namespace SagaDemo.Contracts.Users;

// Wire contract of the user flow (DESIGN.md): camelCase JSON, one message type per topic,
// record key = operationId. Field names and nullability are fixed; do not rename.

/// <summary>Operations API -> user saga, topic <c>user-create</c>.</summary>
public sealed record UserCreateRequested(Guid OperationId, string Name, string? Email);

/// <summary>User saga -> approval service, topic <c>user-approve</c>.</summary>
public sealed record UserApprovalRequested(Guid OperationId, Guid UserId, string Name, string? Email);

/// <summary>Approval service -> user saga, topic <c>user-approve-response</c>.</summary>
public sealed record UserApprovalCompleted(Guid OperationId, Guid UserId, bool Approved, string? Reason);

/// <summary>User saga -> operations API, topic <c>user-create-response</c>.</summary>
public sealed record UserCreateCompleted(Guid OperationId, Guid UserId, string Status, string? Error);

/// <summary>Values of <see cref="UserCreateCompleted.Status"/>.</summary>
public static class UserCreateStatus
{
    public const string Completed = "completed";
    public const string Failed = "failed";
}
