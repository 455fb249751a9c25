using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Sagas.OrderFulfilment;

namespace SagaDemo.Hosting.Endpoints;

/// <summary>Receive endpoint of the order saga, also its Kafka consumer group.</summary>
public sealed class OrderSagaDefinition : SagaDefinition<OrderState>
{
    public OrderSagaDefinition() => EndpointName = ConsumerGroups.Orders;

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<OrderState> sagaConfigurator, IRegistrationContext context)
    {
        EndpointDeliveryPolicy.ForSaga(endpointConfigurator, context);
    }
}
