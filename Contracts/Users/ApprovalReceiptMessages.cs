namespace SagaDemo.Contracts.Users;

/// <summary>
/// Approval service -> user saga, topic <c>user-approve-received</c>: the approval service has taken the request
/// and starts working on it. Sent before the decision, so the saga's approval deadline measures the approval
/// service's own time and never the time the request waited in the <c>user-approve</c> backlog. An approval
/// service that does not send it (the original demo's) still works: its answer alone completes the saga.
/// <paramref name="ReceivedAt"/> is the approval service's clock, for logs and tracing; the saga times the deadline
/// by its own clock.
/// </summary>
public sealed record UserApprovalReceived(Guid OperationId, Guid UserId, DateTimeOffset ReceivedAt);
