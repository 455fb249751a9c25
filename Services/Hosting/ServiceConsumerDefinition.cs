using MassTransit;

namespace SagaDemo.Services.Hosting;

/// <summary>
/// Puts a service's consumers on the receive endpoint named after its consumer group, with the
/// delivery policy every service shares.
/// </summary>
public abstract class ServiceConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected ServiceConsumerDefinition(string consumerGroup) => EndpointName = consumerGroup;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Stores may fail transiently (a database later); consumers are idempotent, so retrying is safe.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 1000));
        // Replies leave only after the consumer finished, so a retried message publishes once.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
