using MassTransit;
using SagaDemo.Hosting.Endpoints;

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
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        EndpointDeliveryPolicy.ForService(endpointConfigurator, context);
}
