using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Host.Composition;
using SagaDemo.Hosting.Endpoints;
using SagaDemo.Kafka.Topology;
using SagaDemo.Persistence.Schema;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Services.Orders;

namespace SagaDemo.Host.RoleModules;

/// <summary>The order saga: reserve stock, charge, ship, compensate; every lifecycle event on topic <c>order</c>.</summary>
public sealed class OrdersRole : Role
{
    public const string RoleName = "orders";
    public const string SagaGroup = "order-service";

    public override string Name => RoleName;

    public override IReadOnlyList<ConsumerGroup> ConsumerGroups =>
    [
        new(SagaGroup, [Topics.OrderCreate, Topics.WarehouseEvent, Topics.PaymentEvent, Topics.OrderTimeout], []),
    ];

    public override IReadOnlyList<TopicDefinition> Produces =>
    [
        Topic(Topics.OrderCreateResponse, typeof(OrderCreateCompleted)),
        Topic(Topics.WarehouseCommand, typeof(ReserveStock), typeof(ReleaseStock), typeof(ShipOrder)),
        Topic(Topics.PaymentCommand, typeof(ChargePayment)),
        Topic(Topics.Order, typeof(OrderLifecycleEvent)),
        Topic(Topics.OrderTimeout, typeof(OrderTimedOut)),
    ];

    public override SchemaDefinition Schema => SagaDemoSchemas.Orders;

    public override void AddServices(RoleContext context)
    {
        var services = context.Services;
        services.Configure<OrderFulfilmentOptions>(context.Configuration.GetSection(OrderFulfilmentOptions.Section));
        context.AddSagaSupport<OrderState, OrderStateMachine>("order", s => s.CurrentState,
            OrderDeadlineRegistration.ScanRepository, nameof(OrderStateMachine.Completed), nameof(OrderStateMachine.Cancelled));
        services.AddOrderDeadlineWatcher();
    }

    public override void AddSagas(IBusRegistrationConfigurator bus, RoleContext context) =>
        bus.AddSagaStateMachine<OrderStateMachine, OrderState, SagaEndpointDefinition<OrderState>>()
            .StoredIn(SagaGroup, context.Postgres, Schema, SagaDemoSchemas.OrderSagaTable, s => s.StepDeadline);
}
