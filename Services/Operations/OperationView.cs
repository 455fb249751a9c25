using System.Text.Json;

namespace SagaDemo.Services.Operations;

/// <summary>The operation as <c>GET /operations/{id}</c> shows it.</summary>
public sealed record OperationView(
    Guid Id, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, JsonElement? Result, string? Error)
{
    public static OperationView From(Operation o) => new(o.Id, o.Type, o.Status, o.CreatedAt, o.UpdatedAt, o.Result, o.Error);
}
