namespace SagaDemo.Services.Users;

/// <summary>A created user, as <c>GET /users/{id}</c> shows it.</summary>
public sealed record User(Guid Id, string Name, string? Email, DateTimeOffset CreatedAt, Guid OperationId);
