using MassTransit;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Host.Composition;

/// <summary>All wiring: which services run, over which transport, with which storage.</summary>
public static class SagaDemoComposition
{
    public static WebApplicationBuilder AddSagaDemo(this WebApplicationBuilder builder, Roles roles)
    {
        var services = builder.Services;
        services.AddSingleton(roles);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.Configure<UserRegistrationOptions>(builder.Configuration.GetSection(UserRegistrationOptions.Section));

        var kafka = KafkaTransport.IsEnabled(builder.Configuration);
        services.AddMassTransit(x =>
        {
            if (roles.Has(Roles.Users))
                x.AddSagaStateMachine<UserRegistrationStateMachine, UserRegistrationState, UserRegistrationSagaDefinition>()
                    .InMemoryRepository();
            if (roles.Has(Roles.Orders))
                x.AddSagaStateMachine<OrderStateMachine, OrderState, OrderSagaDefinition>()
                    .InMemoryRepository();

            x.UsingInMemory((context, cfg) => KafkaTransport.ConfigureBus(context, cfg, kafka));
        });
        if (kafka)
            services.AddKafkaTransport(builder.Configuration, roles);
        return builder;
    }

    public static WebApplication MapSagaDemo(this WebApplication app, Roles roles)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
