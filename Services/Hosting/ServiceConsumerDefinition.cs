using MassTransit;
using SagaDemo.Hosting.Endpoints;

namespace SagaDemo.Services.Hosting;

/// <summary>
/// The delivery policy every service consumer shares. The receive endpoint (its consumer group) is named by the
/// role that registers the consumer.
/// </summary>
public sealed class ServiceConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        EndpointDeliveryPolicy.ForService(endpointConfigurator, context);
}
