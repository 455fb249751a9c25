using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SagaDemo.Host.OpenApi;

/// <summary>
/// A property left out of the JSON when null (<c>[JsonIgnore(Condition = WhenWritingNull)]</c>) is not required,
/// though the generator lists every constructor parameter as required.
/// </summary>
internal sealed class OmittedNullsAreNotRequired : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Required is { Count: > 0 } required)
            foreach (var property in context.JsonTypeInfo.Properties)
                if (property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
                        .OfType<JsonIgnoreAttribute>().Any(a => a.Condition == JsonIgnoreCondition.WhenWritingNull) == true)
                    required.Remove(property.Name);
        return Task.CompletedTask;
    }
}
