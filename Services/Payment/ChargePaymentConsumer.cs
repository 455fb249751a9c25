using MassTransit;
using SagaDemo.Contracts.Orders;

namespace SagaDemo.Services.Payment;

/// <summary>Charges or declines an order; a redelivery gets the first decision again and charges nothing twice.</summary>
public sealed class ChargePaymentConsumer(IPaymentStore store, PaymentRules rules, TimeProvider clock) : IConsumer<ChargePayment>
{
    public async Task Consume(ConsumeContext<ChargePayment> context)
    {
        var m = context.Message;
        var decision = await store.RecordOnceAsync(rules.Decide(m.OrderId, m.CustomerId, m.Amount, clock.GetUtcNow()),
            context.CancellationToken);
        if (decision.Charged)
            await context.Publish(new PaymentCharged(m.OrderId, decision.Amount), context.CancellationToken);
        else
            await context.Publish(new PaymentDeclined(m.OrderId, decision.Reason ?? "declined"), context.CancellationToken);
    }
}
