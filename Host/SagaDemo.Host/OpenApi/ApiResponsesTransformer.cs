using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SagaDemo.Services.Http;
using SagaDemo.Services.Http.Access;
using SagaDemo.Services.Operations;

namespace SagaDemo.Host.OpenApi;

/// <summary>
/// What every route of a kind has, added from its metadata so that new routes get it without being listed:
/// a JSON body read by hand (<see cref="JsonRequestBodyMetadata"/>) is the request body; routes that require
/// authorization name the security scheme; creates (POSTs with a body) take an optional <c>Idempotency-Key</c>;
/// 202 answers carry <c>Location</c> and <c>Retry-After</c>, 429 and 503 <c>Retry-After</c>; an answer that may
/// also be <c>{}</c> (<see cref="EmptyObjectAnswerMetadata"/>) says so.
/// </summary>
internal sealed class ApiResponsesTransformer(AccessOptions access) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<JsonRequestBodyMetadata>().LastOrDefault() is { } body)
        {
            var bodySchema = await SchemaReferenceAsync(body.Type, context, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = JsonRequestBodyMetadata.ContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = bodySchema }),
            };
        }
        if (ApiDescriptionTransformer.SchemeFor(access.Mode) is { } scheme
            && metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];

        if (operation.RequestBody is not null && HttpMethods.IsPost(context.Description.HttpMethod ?? ""))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKey.Header,
                In = ParameterLocation.Header,
                Description = "The client's name for this one intended operation: a repeated request with the same key and body answers the operation it created and starts nothing; the same key with another body is 422.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKey.MaxLength, Pattern = "^[ -~]+$" },
            });
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete)
                continue;
            if (status == "202")
                AddHeader(concrete, "Location", "The operation to poll: /operations/{id}.");
            if (status is "202" or "429" or "503")
                AddHeader(concrete, "Retry-After", "Seconds to wait before polling or retrying.");
            if (metadata.OfType<EmptyObjectAnswerMetadata>().Any(e => e.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) == status))
                foreach (var media in (concrete.Content ?? new Dictionary<string, OpenApiMediaType>()).Values)
                    media.Schema = new OpenApiSchema { AnyOf = [media.Schema!, new OpenApiSchema { Type = JsonSchemaType.Object, MaxProperties = 0 }] };
        }
    }

    /// <summary>The type's schema as a component of the document, referenced like the generator's own.</summary>
    private static async Task<IOpenApiSchema> SchemaReferenceAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
        if (context.Document is not { } document)
            return schema;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(type.Name, schema);
        return new OpenApiSchemaReference(type.Name, document);
    }

    private static void AddHeader(OpenApiResponse response, string name, string description)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader
        {
            Description = description,
            Required = true,
            Schema = new OpenApiSchema { Type = name == "Retry-After" ? JsonSchemaType.Integer : JsonSchemaType.String },
        };
    }
}
