using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Services.Hosting;

namespace SagaDemo.Services.Operations;

public sealed class OperationsConsumerDefinition<TConsumer>() : ServiceConsumerDefinition<TConsumer>(ConsumerGroups.Operations)
    where TConsumer : class, IConsumer;

/// <summary>Wiring of the operations service (role <c>api</c>).</summary>
public static class OperationsServiceRegistration
{
    /// <summary>
    /// Registers the in-memory store and the publishing launcher unless another <see cref="IOperationStore"/>
    /// or <see cref="IOperationLauncher"/> was registered first.
    /// </summary>
    public static IServiceCollection AddOperationsService(this IServiceCollection services)
    {
        services.TryAddSingleton<IOperationStore, InMemoryOperationStore>();
        services.TryAddScoped<IOperationLauncher, PublishingOperationLauncher>();
        services.AddScoped<OperationSubmitter>();
        services.TryAddSingleton<Admission.OperationAdmission>();
        return services;
    }

    public static IBusRegistrationConfigurator AddOperationsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<UserCreateCompletedConsumer, OperationsConsumerDefinition<UserCreateCompletedConsumer>>();
        bus.AddConsumer<OrderCreateCompletedConsumer, OperationsConsumerDefinition<OrderCreateCompletedConsumer>>();
        return bus;
    }
}
