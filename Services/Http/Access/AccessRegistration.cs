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
                JwtAccess.Add(services, options.Jwt);
                break;
            default:
                throw new InvalidOperationException($"Auth:Mode must be None, ApiKey or Jwt, not {(int)options.Mode}.");
        }
        return options;
    }

    public static bool IsEnabled(this AccessOptions options) => options.Mode != AccessMode.None;

    /// <summary>
    /// Authentication, then <paramref name="limit"/> (rate limiting), then authorization: the limiter partitions by the
    /// authenticated client and sees every request, the ones about to fail authorization too, so guessing keys or
    /// tokens is as slow as the anonymous budget allows. Routes decide whether they require a caller.
    /// </summary>
    public static IApplicationBuilder UseSagaDemoAccess(this IApplicationBuilder app, AccessOptions options, Action<IApplicationBuilder> limit)
    {
        if (options.IsEnabled())
            app.UseAuthentication();
        limit(app);
        if (options.IsEnabled())
            app.UseAuthorization();
        return app;
    }
}
