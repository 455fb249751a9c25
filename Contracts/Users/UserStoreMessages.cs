namespace SagaDemo.Contracts.Users;

// The saga stores an approved user through the user store before it reports the operation
// completed, so a client that sees "completed" can always GET /users/{id}.

/// <summary>User saga -> user store, topic <c>user-store</c>.</summary>
public sealed record StoreUser(Guid OperationId, Guid UserId, string Name, string? Email, DateTimeOffset CreatedAt);

/// <summary>User store -> user saga, topic <c>user-store-response</c>.</summary>
public sealed record UserStored(Guid OperationId, Guid UserId);

/// <summary>
/// Raised inside the users service when an approval deadline passes; never crosses Kafka.
/// </summary>
public sealed record UserApprovalTimedOut(Guid OperationId);
