using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Hosting.Endpoints;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.Tests.Support;

namespace SagaDemo.Sagas.Tests.Sagas;

/// <summary>The order saga alone on a test bus; the test plays warehouse and payment.</summary>
public sealed class OrderSagaHarness : IAsyncDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    public ManualClock Clock { get; } = new();
    public ServiceProvider Provider { get; }
    public OrderStateMachine Machine { get; }
    public ITestHarness Bus { get; }
    public ISagaStateMachineTestHarness<OrderStateMachine, OrderState> Saga { get; }

    OrderSagaHarness()
    {
        Provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(Clock)
            .Configure<OrderFulfilmentOptions>(o => o.StepTimeout = StepTimeout)
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromMilliseconds(200));
                x.AddSagaStateMachine<OrderStateMachine, OrderState, SagaEndpointDefinition<OrderState>>().InMemoryRepository();
            })
            .BuildServiceProvider(true);
        Bus = Provider.GetRequiredService<ITestHarness>();
        Saga = Bus.GetSagaStateMachineHarness<OrderStateMachine, OrderState>();
        Machine = Provider.GetRequiredService<OrderStateMachine>();
    }

    public static async Task<OrderSagaHarness> StartAsync()
    {
        var harness = new OrderSagaHarness();
        await harness.Bus.Start();
        return harness;
    }

    public OrderState? Instance(Guid orderId) => Saga.Sagas.Contains(orderId);

    public List<string> LifecycleKinds(Guid orderId) =>
        [.. Bus.PublishedOf<SagaDemo.Contracts.Orders.OrderLifecycleEvent>(e => e.OrderId == orderId).Select(e => e.Kind)];

    public async ValueTask DisposeAsync()
    {
        await Bus.Stop();
        await Provider.DisposeAsync();
    }
}
