using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SagaDemo.Services.Http.Access;

namespace SagaDemo.Host.OpenApi;

/// <summary>
/// The document's own text and, with access control on, how to authenticate. What the route metadata cannot say:
/// answers that belong to no route (unknown paths, wrong methods) and the catch-all for unknown operation types.
/// </summary>
internal sealed class ApiDescriptionTransformer(AccessOptions access) : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = ApiKeyAuthenticationHandler.SchemeName;
    public const string BearerScheme = "Bearer";

    /// <summary>The document's name for the configured scheme; null when access control is off.</summary>
    public static string? SchemeFor(AccessMode mode) => mode switch
    {
        AccessMode.ApiKey => ApiKeyScheme,
        AccessMode.Jwt => BearerScheme,
        _ => null,
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "SagaDemo API",
            Version = ApiDocument.Name,
            Description = """
                Clients POST to create an operation, get its id at once (202 Accepted, Location, Retry-After) and poll
                GET /operations/{id} until it is completed or failed; sagas over Kafka do the work. The original demo's
                clients use /operation/create/{name} and /operation/get/{uuid} with their own envelope.

                Every error is an RFC 9457 problem (application/problem+json): besides the answers listed per operation,
                an unknown path or operation type (POST /operations/{any other type}) answers 404 and a method a path
                does not have answers 405, both with the ProblemDetails schema. No input a client can send yields a 5xx;
                503 means an outage or, on a create, an overloaded system (admission control): wait the Retry-After
                seconds and retry with the same Idempotency-Key.
                """,
        };
        if (SchemeFor(access.Mode) is { } name)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[name] = access.Mode == AccessMode.ApiKey
                ? new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.Header,
                    Description = "A key configured under Auth:ApiKeys; each client sees only the operations it created.",
                }
                : new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A token from the issuer configured under Auth:Jwt, for its audience; the token's subject "
                        + "(or client id) owns the operations it creates and sees only those.",
                };
        }
        return Task.CompletedTask;
    }
}
