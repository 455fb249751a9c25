using SagaDemo.Contracts;
using SagaDemo.Sagas.OrderFulfilment;

namespace SagaDemo.Hosting.Endpoints;

/// <summary>Receive endpoint of the order saga, also its Kafka consumer group.</summary>
public sealed class OrderSagaDefinition() : SagaEndpointDefinition<OrderState>(ConsumerGroups.Orders);
