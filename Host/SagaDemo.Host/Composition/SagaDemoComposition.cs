using MassTransit;
using SagaDemo.Host.OpenApi;
using SagaDemo.Host.OperationsConsole;
using SagaDemo.Host.RoleModules;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Http;
using SagaDemo.Services.Http.Access;
using SagaDemo.Services.Http.RateLimiting;
using SagaDemo.Telemetry;

namespace SagaDemo.Host.Composition;

/// <summary>
/// All wiring: what every process shares (HTTP, access, telemetry, transport, storage), then each role it runs
/// (<see cref="Role"/>: services, storage, consumers, sagas, routes).
/// </summary>
public static class SagaDemoComposition
{
    public static WebApplicationBuilder AddSagaDemo(this WebApplicationBuilder builder, Roles roles)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        DefaultListenAddress.Apply(builder);
        services.AddSingleton(roles);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadHttpRequestExceptionHandler>();
        builder.WebHost.ConfigureKestrel(HttpServerLimits.Apply);
        // Both off unless configured (sections Auth and RateLimiting): the embedded dev run stays open.
        var access = services.AddSagaDemoAccess(configuration);
        services.AddSingleton(access);
        services.AddSagaDemoOpenApi(access);
        services.AddSingleton(new RateLimitingSwitch(services.AddSagaDemoRateLimiting(configuration)));
        builder.AddSagaDemoTelemetry(o => o.Roles = roles.Active.ToList());
        services.AddConsoleOptions(configuration);
        var kafka = KafkaTransport.IsEnabled(configuration);
        // With ConnectionStrings:Postgres: durable stores, sagas, transactional consumers; otherwise in memory.
        var postgres = PostgresStorage.Add(services, configuration, roles, kafka);
        // PostgreSQL prunes its own tables; in memory, each store forgets finished work itself.
        if (postgres is null)
            services.AddInMemoryRetention(configuration);

        var context = new RoleContext(services, configuration, kafka, postgres is not null);
        foreach (var role in roles.Modules)
            role.AddServices(context);

        services.AddMassTransit(x =>
        {
            foreach (var role in roles.Modules)
            {
                foreach (var group in role.ConsumerGroups)
                    x.AddServiceConsumers(group);
                role.AddSagas(x, context);
            }
            if (postgres is not null)
                PostgresStorage.UseTransactionalConsumers(x, roles.Modules);

            x.UsingInMemory((registration, cfg) => KafkaTransport.ConfigureBus(registration, cfg, kafka));
        });
        if (kafka)
            services.AddKafkaTransport(configuration, roles);
        return builder;
    }

    public static WebApplication MapSagaDemo(this WebApplication app, Roles roles)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var access = app.Services.GetRequiredService<AccessOptions>();
        var rateLimited = app.Services.GetRequiredService<RateLimitingSwitch>().On;
        app.UseSagaDemoAccess(access, pipeline =>
        {
            if (rateLimited)
                pipeline.UseRateLimiter();
        });
        // Health and metrics stay open (probes and scrapers carry no credentials; keep them inside the cluster), readiness
        // telling anonymous callers only its status; so do the API's document and reference page (ApiDocument says why).
        app.MapSagaDemoTelemetry();
        foreach (var role in roles.Modules)
            role.UseMiddleware(app);
        app.MapSagaDemoOpenApi();

        // What any business route may answer besides its own (documented here once, for routes added later too):
        // 503 while its storage is unreachable (StorageUnavailableExceptionHandler) or, for creates, overloaded (admission
        // control), 401 and 429 when those are on.
        var business = app.MapGroup("").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (access.IsEnabled())
            business.RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        if (rateLimited)
            business.ProducesProblem(StatusCodes.Status429TooManyRequests);
        foreach (var role in roles.Modules)
            role.MapEndpoints(business, app.Configuration);
        return app;
    }
}

/// <summary>Whether rate limiting was configured, so the middleware is added only then.</summary>
public sealed record RateLimitingSwitch(bool On);
