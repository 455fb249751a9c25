using System.Text.Json;
using MassTransit;
using SagaDemo.Contracts.Orders;

namespace SagaDemo.Services.Operations;

/// <summary>Ends an order-create operation (operation id == order id); result <c>{orderId, amount, trackingNumber}</c>.</summary>
public sealed class OrderCreateCompletedConsumer(IOperationStore store, TimeProvider clock, ILogger<OrderCreateCompletedConsumer> logger)
    : IConsumer<OrderCreateCompleted>
{
    public async Task Consume(ConsumeContext<OrderCreateCompleted> context)
    {
        var m = context.Message;
        var outcome = m.Status == OrderCreateStatus.Completed
            ? new OperationOutcome(OperationStatus.Completed,
                JsonSerializer.SerializeToElement(new { orderId = m.OrderId, amount = m.Amount, trackingNumber = m.TrackingNumber }),
                null, m.OrderId)
            : new OperationOutcome(OperationStatus.Failed, null, m.Error ?? "order failed", m.OrderId);
        if (await store.FinishAsync(m.OrderId, outcome, clock.GetUtcNow(), context.CancellationToken) is null)
            logger.LogWarning("order-create-response for unknown operation {OrderId} ignored", m.OrderId);
    }
}
