using MassTransit;
using SagaDemo.Contracts.Orders;

namespace SagaDemo.Services.Warehouse;

/// <summary>Reserves an order's items; a redelivery republishes the first answer.</summary>
public sealed class ReserveStockConsumer(IInventoryStore store) : IConsumer<ReserveStock>
{
    public async Task Consume(ConsumeContext<ReserveStock> context)
    {
        var m = context.Message;
        var outcome = await store.ReserveAsync(m.OrderId, m.Items, context.CancellationToken);
        if (outcome.Reserved)
            await context.Publish(new StockReserved(m.OrderId, outcome.Amount), context.CancellationToken);
        else
            await context.Publish(new StockUnavailable(m.OrderId, outcome.Reason ?? "unavailable"), context.CancellationToken);
    }
}

/// <summary>Compensation: puts an order's reserved items back.</summary>
public sealed class ReleaseStockConsumer(IInventoryStore store) : IConsumer<ReleaseStock>
{
    public async Task Consume(ConsumeContext<ReleaseStock> context)
    {
        await store.ReleaseAsync(context.Message.OrderId, context.CancellationToken);
        await context.Publish(new StockReleased(context.Message.OrderId), context.CancellationToken);
    }
}

/// <summary>Ships a reserved order. Shipping an order without a reservation fails the message (it dead-letters).</summary>
public sealed class ShipOrderConsumer(IInventoryStore store) : IConsumer<ShipOrder>
{
    public async Task Consume(ConsumeContext<ShipOrder> context)
    {
        var orderId = context.Message.OrderId;
        await store.ShipAsync(orderId, context.CancellationToken);
        await context.Publish(new OrderShipped(orderId, TrackingNumbers.For(orderId)), context.CancellationToken);
    }
}
