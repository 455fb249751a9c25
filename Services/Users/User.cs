namespace SagaDemo.Services.Users;

/// <summary>A created user, as <c>GET /users/{id}</c> shows it to its <see cref="Owner"/>.</summary>
public sealed record User(Guid Id, string Name, string? Email, DateTimeOffset CreatedAt, Guid OperationId)
{
    /// <summary>The API client whose operation created the user (null: none); not shown, only compared.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Owner { get; init; }
}
