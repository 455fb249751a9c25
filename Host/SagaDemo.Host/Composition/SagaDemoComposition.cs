using MassTransit;
using SagaDemo.Host.Admission;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SagaDemo.Host.Observability;
using SagaDemo.Host.OpenApi;
using SagaDemo.Host.OperationsConsole;
using SagaDemo.Host.Operations;
using SagaDemo.Host.Outbox;
using SagaDemo.Hosting.Endpoints;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Approval;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Http;
using SagaDemo.Services.Http.Access;
using SagaDemo.Services.Http.RateLimiting;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Orders;
using SagaDemo.Services.Payment;
using SagaDemo.Services.Statistics;
using SagaDemo.Services.Users;
using SagaDemo.Services.Users.Deadlines;
using SagaDemo.Services.Warehouse;
using SagaDemo.Telemetry;
using SagaDemo.Telemetry.Instruments;

namespace SagaDemo.Host.Composition;

/// <summary>All wiring: which services run, over which transport, with which storage.</summary>
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
        services.Configure<UserRegistrationOptions>(configuration.GetSection(UserRegistrationOptions.Section));
        builder.AddSagaDemoTelemetry(o => o.Roles = roles.Active.ToList());
        var kafka = KafkaTransport.IsEnabled(builder.Configuration);
        // Outbox rows go straight to Kafka; registered first because PostgresStorage only TryAdds the bus sink.
        if (kafka)
            services.AddSingleton<IOutboxSink, KafkaOutboxSink>();
        // With ConnectionStrings:Postgres: durable stores, sagas, transactional consumers; otherwise in memory.
        var postgres = PostgresStorage.Add(services, configuration, roles);

        if (roles.Has(Roles.Api))
        {
            services.TryAddKeyedSingleton<IOperationStore, InMemoryOperationStore>(MeteredOperationStore.InnerKey);
            services.AddSingleton<IOperationStore>(sp => new MeteredOperationStore(
                sp.GetRequiredKeyedService<IOperationStore>(MeteredOperationStore.InnerKey), sp.GetRequiredService<SagaDemoMetrics>()));
            // Without PostgreSQL the launcher publishes; in Kafka mode the owner must reach the record through the rider.
            if (kafka)
                services.TryAddScoped<IOperationLauncher>(sp =>
                    new ClientStampingLauncher(ActivatorUtilities.CreateInstance<PublishingOperationLauncher>(sp)));
            services.AddOperationsService();
            services.AddAdmissionControl(configuration);
        }
        if (roles.Has(Roles.Users))
        {
            services.AddUsersService();
            services.AddApprovalDeadlineWatcher(configuration);
            services.AddHostedService<SagaStateMetrics<UserRegistrationState>>();
        }
        if (roles.Has(Roles.Orders))
        {
            services.AddOrderDeadlineWatcher(configuration);
            services.AddHostedService<SagaStateMetrics<OrderState>>();
        }
        if (postgres is null)
            AddInMemoryRetention(services, configuration, roles);
        if (roles.Has(Roles.Approval))
            services.AddApprovalService(configuration);
        if (roles.Has(Roles.Warehouse))
            services.AddWarehouseService(configuration);
        if (roles.Has(Roles.Payment))
            services.AddPaymentService(configuration);
        if (roles.Has(Roles.Statistics))
            services.AddStatisticsService();

        services.AddOperationsConsole(configuration, roles, kafka, postgres is not null);

        services.AddMassTransit(x =>
        {
            if (roles.Has(Roles.Api))
                x.AddOperationsConsumers();
            if (roles.Has(Roles.Users))
            {
                x.AddSagaStateMachine<UserRegistrationStateMachine, UserRegistrationState, UserRegistrationSagaDefinition>()
                    .StoredIn(postgres);
                x.AddUsersConsumers();
            }
            if (roles.Has(Roles.Approval))
                x.AddApprovalConsumers();
            if (roles.Has(Roles.Orders))
                x.AddSagaStateMachine<OrderStateMachine, OrderState, OrderSagaDefinition>()
                    .StoredIn(postgres);
            if (roles.Has(Roles.Warehouse))
                x.AddWarehouseConsumers();
            if (roles.Has(Roles.Payment))
                x.AddPaymentConsumers();
            if (roles.Has(Roles.Statistics))
                x.AddStatisticsConsumers();

            postgres?.ConfigureConsumerEndpoints(x);

            x.UsingInMemory((context, cfg) => KafkaTransport.ConfigureBus(context, cfg, kafka));
        });
        if (kafka)
            services.AddKafkaTransport(builder.Configuration, roles);
        return builder;
    }

    // PostgreSQL prunes its own tables (PostgresStorage); in memory, each store forgets finished work itself.
    static void AddInMemoryRetention(IServiceCollection services, IConfiguration configuration, Roles roles)
    {
        services.AddInMemoryRetention(configuration);
        if (roles.Has(Roles.Api))
            services.AddSingleton<IRetainedStore>(sp =>
                sp.GetRequiredKeyedService<IOperationStore>(MeteredOperationStore.InnerKey) as IRetainedStore ?? new NothingRetained());
        if (roles.Has(Roles.Users))
            services.AddTerminalSagaEviction<UserRegistrationState>(nameof(UserRegistrationStateMachine.Completed),
                nameof(UserRegistrationStateMachine.Rejected), nameof(UserRegistrationStateMachine.TimedOut));
        if (roles.Has(Roles.Orders))
            services.AddTerminalSagaEviction<OrderState>(nameof(OrderStateMachine.Completed), nameof(OrderStateMachine.Cancelled));
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
        if (roles.Has(Roles.Api))
            app.UseConsolePage();
        app.MapSagaDemoOpenApi();

        // What any business route may answer besides its own (documented here once, for routes added later too):
        // 503 while its storage is unreachable (StorageUnavailableExceptionHandler) or, for creates, overloaded (admission
        // control), 401 and 429 when those are on.
        var business = app.MapGroup("").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (access.IsEnabled())
            business.RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        if (rateLimited)
            business.ProducesProblem(StatusCodes.Status429TooManyRequests);
        if (roles.Has(Roles.Api))
        {
            business.MapOperations();
            business.MapOperationsConsole(KafkaTransport.IsEnabled(app.Configuration));
        }
        if (roles.Has(Roles.Users))
            business.MapUsers();
        if (roles.Has(Roles.Warehouse))
            business.MapWarehouse();
        if (roles.Has(Roles.Statistics))
            business.MapStatistics();
        return app;
    }
}

/// <summary>Whether rate limiting was configured, so the middleware is added only then.</summary>
public sealed record RateLimitingSwitch(bool On);
