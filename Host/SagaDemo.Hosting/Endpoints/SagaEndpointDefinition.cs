using MassTransit;

namespace SagaDemo.Hosting.Endpoints;

/// <summary>A saga's receive endpoint, named after its Kafka consumer group, with the saga delivery policy.</summary>
public abstract class SagaEndpointDefinition<TState> : SagaDefinition<TState>
    where TState : class, ISaga
{
    protected SagaEndpointDefinition(string consumerGroup) => EndpointName = consumerGroup;

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<TState> sagaConfigurator, IRegistrationContext context) =>
        EndpointDeliveryPolicy.ForSaga(endpointConfigurator, context);
}
