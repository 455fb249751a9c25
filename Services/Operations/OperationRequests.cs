namespace SagaDemo.Services.Operations;

// Request bodies as a client may send them: every field nullable, so a missing field is a
// validation error with its name rather than a binding failure. Unknown fields are ignored.

// Optional fields have a default, so the OpenAPI document does not list them as required.

public sealed record UserCreateRequest(string? Name, string? Email = null);

public sealed record OrderCreateRequest(string? CustomerId, List<OrderItemRequest?>? Items);

public sealed record OrderItemRequest(string? Sku, int? Quantity);
