using MassTransit;

namespace SagaDemo.Hosting.Endpoints;

/// <summary>
/// The saga delivery policy on a saga's receive endpoint. The endpoint (its Kafka consumer group) is named by the role
/// that registers the saga.
/// </summary>
public sealed class SagaEndpointDefinition<TState> : SagaDefinition<TState>
    where TState : class, ISaga
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<TState> sagaConfigurator, IRegistrationContext context) =>
        EndpointDeliveryPolicy.ForSaga(endpointConfigurator, context);
}
