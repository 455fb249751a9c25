using MassTransit;
using SagaDemo.Sagas;

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
        // Consumers are idempotent, so retrying is safe: a database outage for as long as it lasts (see StorageOutage),
        // any other failure briefly before the message is dead-lettered.
        endpointConfigurator.UseStorageOutageRetry();
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<Exception>(StorageOutage.Is);
            r.Ignore<Exception>(MessageRefusedException.Is);
            r.Intervals(100, 500, 1000);
        });
        // Replies leave only after the consumer finished, so a retried message publishes once.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
