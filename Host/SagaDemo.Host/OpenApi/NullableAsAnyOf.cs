using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SagaDemo.Host.OpenApi;

/// <summary>
/// The generator writes a nullable reference-typed property as <c>oneOf: [{type: null}, {$ref}]</c>. When the
/// referenced schema accepts anything (<see cref="System.Text.Json.JsonElement"/>: <c>{}</c>), null matches both
/// branches and so fails <c>oneOf</c>; <c>anyOf</c> says what is meant, and is the same for every other schema.
/// Runs on the finished document, after the generator has added those wrappers.
/// </summary>
internal sealed class NullableAsAnyOf : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
            foreach (var property in schema.Properties?.Values.OfType<OpenApiSchema>() ?? [])
                if (property.OneOf is { Count: > 0 } oneOf && oneOf.Any(s => s.Type == JsonSchemaType.Null))
                {
                    property.AnyOf = oneOf;
                    property.OneOf = null;
                }
        return Task.CompletedTask;
    }
}
