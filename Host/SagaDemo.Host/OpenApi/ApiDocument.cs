using System.Text.Json.Serialization;
using SagaDemo.Services.Http.Access;
using Scalar.AspNetCore;

namespace SagaDemo.Host.OpenApi;

/// <summary>
/// The API's OpenAPI document, <c>GET /openapi/v1.json</c>, built by Microsoft.AspNetCore.OpenApi from the routes'
/// own metadata: every mapped route handler is in it without a list kept here (the services' <c>.Produces</c>,
/// <c>.Accepts</c>, <c>.WithName</c> say what each answers; the host's route group adds what every business route
/// can answer, <see cref="ApiResponsesTransformer"/> the headers and security of each kind of route). The interactive reference page (Scalar, <c>/scalar</c>) is served in Development or
/// with <c>OpenApi:ReferencePage=true</c>.
/// <para>
/// Both are public even with access control on, like /health and /metrics: the document describes the shape of
/// the API and how to authenticate, holds no data and no secret, and a client needs it before it has a key. The
/// page's "try it" requests carry the key the user types in and are checked like any other request.
/// </para>
/// </summary>
public static class ApiDocument
{
    public const string Name = "v1";
    public const string Path = "/openapi/v1.json";
    public const string ReferencePagePath = "/scalar";
    public const string ReferencePageKey = "OpenApi:ReferencePage";

    public static IServiceCollection AddSagaDemoOpenApi(this IServiceCollection services, AccessOptions access)
    {
        // Bodies are read with strict numbers (JsonRequestBody.Options: "2" is not a quantity); the schemas the
        // document derives from these options must say so too. Only reading is affected, and no route binds a body.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        services.AddOpenApi(Name, options =>
        {
            options.AddDocumentTransformer(new ApiDescriptionTransformer(access));
            options.AddOperationTransformer(new ApiResponsesTransformer(access));
            options.AddSchemaTransformer(new OmittedNullsAreNotRequired());
            options.AddDocumentTransformer(new NullableAsAnyOf());
        });
        return services;
    }

    public static WebApplication MapSagaDemoOpenApi(this WebApplication app)
    {
        app.MapOpenApi(Path);
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>(ReferencePageKey))
            app.MapScalarApiReference(ReferencePagePath, page =>
            {
                page.Title = "SagaDemo API";
                page.OpenApiRoutePattern = Path;
                // Fonts would come from Scalar's CDN; the page must work with no outside network.
                page.DefaultFonts = false;
                // A small API: every tag open, so each operation is one scroll away.
                page.DefaultOpenAllTags = true;
            });
        return app;
    }
}
