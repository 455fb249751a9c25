namespace SagaDemo.Contracts.Users;

// The saga stores an approved user through the user store before it reports the operation
// completed, so a client that sees "completed" can always GET /users/{id}.

/// <summary>
/// User saga -> user store, topic <c>user-store</c>. <paramref name="Owner"/> is the API client whose operation created
/// the user (null: none, e.g. a user-create written by a plain Kafka client); only that client may read the user.
/// </summary>
public sealed record StoreUser(Guid OperationId, Guid UserId, string Name, string? Email, DateTimeOffset CreatedAt, string? Owner = null);

/// <summary>User store -> user saga, topic <c>user-store-response</c>.</summary>
public sealed record UserStored(Guid OperationId, Guid UserId);

/// <summary>
/// Users service -> user saga, topic <c>user-approval-timeout</c>: raised by the service's deadline
/// watcher when an approval deadline passes. On its own topic so it reaches whichever replica owns
/// the operation's partition, like every other event.
/// </summary>
public sealed record UserApprovalTimedOut(Guid OperationId);
