using Microsoft.AspNetCore.Authentication;

namespace SagaDemo.Services.Http.Access;

/// <summary>Wiring of access control (section <c>Auth</c>): nothing at all when it is off.</summary>
public static class AccessRegistration
{
    /// <summary>Registers authentication for the configured mode; returns the options so routes can require it.</summary>
    public static AccessOptions AddSagaDemoAccess(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AccessOptions.Section).Get<AccessOptions>() ?? new AccessOptions();
        switch (options.Mode)
        {
            case AccessMode.None:
                break;
            case AccessMode.ApiKey:
                // Built now so a bad key list stops the start rather than the first request.
                services.AddSingleton(new ApiKeyVerifier(options.ApiKeys));
                services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
                services.AddAuthorization();
                break;
            case AccessMode.Jwt:
                throw new NotSupportedException(
                    "Auth:Mode=Jwt is not available in this build (the JWT bearer handler's dependencies are not on the package feed). Use Auth:Mode=ApiKey.");
            default:
                throw new InvalidOperationException($"Auth:Mode must be None, ApiKey or Jwt, not {(int)options.Mode}.");
        }
        return options;
    }

    public static bool IsEnabled(this AccessOptions options) => options.Mode != AccessMode.None;

    /// <summary>Authenticates every request (so rate limiting can partition by client); routes decide whether they require it.</summary>
    public static IApplicationBuilder UseSagaDemoAccess(this IApplicationBuilder app, AccessOptions options)
    {
        if (options.IsEnabled())
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        return app;
    }
}
