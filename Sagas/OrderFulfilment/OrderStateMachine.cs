using MassTransit;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Orders;

namespace SagaDemo.Sagas.OrderFulfilment;

/// <summary>
/// Reserve stock -> charge payment -> ship -> complete. Out of stock cancels; a declined payment
/// releases the reservation first (compensation), then cancels. Each step is also told to topic
/// "order" as an <see cref="OrderLifecycleEvent"/>. The saga believes no amount it cannot check: the
/// warehouse's price must be one an order can have, and a payment counts only for exactly the amount the saga
/// asked to charge; anything else is refused (<see cref="MessageRefusedException"/>) and changes nothing.
/// </summary>
/// <remarks>
/// Every waiting step has a deadline (<see cref="OrderState.StepDeadline"/>); the order service's deadline watcher
/// raises <see cref="OrderTimedOut"/> when it passes. A step that timed out may still have happened (its reply was
/// lost), so the saga compensates as if it had: it releases the stock (the release follows the reserve and ship
/// commands on the same topic and key, so it is applied after them, and releasing nothing is a no-op), then cancels.
/// A release that times out cancels without waiting further. A payment is not refunded: the payment service has no
/// refund.
/// </remarks>
public sealed class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    readonly TimeProvider _clock;
    readonly TimeSpan _stepTimeout;

    public OrderStateMachine(TimeProvider clock, IOptions<OrderFulfilmentOptions> options)
    {
        _clock = clock;
        _stepTimeout = options.Value.StepTimeout;
        InstanceState(x => x.CurrentState);

        Event(() => Submitted, x => x.CorrelateById(c => c.Message.OrderId));
        Event(() => Reserved, x => ReplyTo(x));
        Event(() => Unavailable, x => ReplyTo(x));
        Event(() => Charged, x => ReplyTo(x));
        Event(() => Declined, x => ReplyTo(x));
        Event(() => Released, x => ReplyTo(x));
        Event(() => Shipped, x => ReplyTo(x));
        Event(() => TimedOut, x => ReplyTo(x));

        Initially(
            When(Submitted)
                .Then(c =>
                {
                    c.Saga.CustomerId = c.Message.CustomerId;
                    c.Saga.Items = [.. c.Message.Items];
                    c.Saga.SubmittedAt = c.Message.SubmittedAt;
                    StartStep(c.Saga);
                })
                .Publish(c => new ReserveStock(c.Saga.CorrelationId, c.Saga.Items))
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.Submitted))
                .TransitionTo(Reserving));

        During(Reserving,
            When(Reserved, c => !IsOrderAmount(c.Message.Amount))
                .Then(c => throw new MessageRefusedException(
                    $"StockReserved for order {c.Saga.CorrelationId} names {c.Message.Amount}, which is no order's amount " +
                    $"(above 0, at most {OrderAmounts.Max}).")),
            When(Reserved, c => IsOrderAmount(c.Message.Amount))
                .Then(c =>
                {
                    c.Saga.Amount = c.Message.Amount;
                    StartStep(c.Saga);
                })
                .Publish(c => new ChargePayment(c.Saga.CorrelationId, c.Saga.CustomerId, c.Message.Amount))
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.StockReserved))
                .TransitionTo(Charging),
            When(Unavailable)
                .Then(c => End(c.Saga, $"out of stock: {c.Message.Reason}"))
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.Cancelled, c.Saga.Error))
                .Publish(c => Failed(c.Saga))
                .TransitionTo(Cancelled));

        During(Charging,
            When(Charged, c => c.Message.Amount != c.Saga.Amount)
                .Then(c => throw new MessageRefusedException(
                    $"PaymentCharged for order {c.Saga.CorrelationId} is for {c.Message.Amount}, but the saga charged {c.Saga.Amount}: no success.")),
            When(Charged, c => c.Message.Amount == c.Saga.Amount)
                .Then(c => StartStep(c.Saga))
                .Publish(c => new ShipOrder(c.Saga.CorrelationId))
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.PaymentCharged))
                .TransitionTo(Shipping),
            When(Declined)
                .Then(c =>
                {
                    c.Saga.Error = $"payment declined: {c.Message.Reason}";
                    StartStep(c.Saga);
                })
                .Publish(c => new ReleaseStock(c.Saga.CorrelationId))
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.PaymentDeclined, c.Saga.Error))
                .TransitionTo(Compensating));

        // A step without its reply in time: undo what it may have done, then cancel (see remarks).
        During(Reserving, Charging, Shipping,
            When(TimedOut, c => IsDue(c.Saga))
                .Then(c =>
                {
                    c.Saga.Error = $"{StepName(c.Saga.CurrentState)} timed out";
                    StartStep(c.Saga);
                })
                .Publish(c => new ReleaseStock(c.Saga.CorrelationId))
                .TransitionTo(Compensating));

        During(Compensating,
            When(Released)
                .Then(c => c.Saga.StepDeadline = null)
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.StockReleased, c.Saga.Error))
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.Cancelled, c.Saga.Error))
                .Publish(c => Failed(c.Saga))
                .TransitionTo(Cancelled),
            When(TimedOut, c => IsDue(c.Saga))
                .Then(c =>
                {
                    c.Saga.StepDeadline = null;
                    c.Saga.Error += "; stock release unconfirmed";
                })
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.Cancelled, c.Saga.Error))
                .Publish(c => Failed(c.Saga))
                .TransitionTo(Cancelled));

        During(Shipping,
            When(Shipped)
                .Then(c =>
                {
                    c.Saga.TrackingNumber = c.Message.TrackingNumber;
                    c.Saga.StepDeadline = null;
                })
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.Shipped))
                .Publish(c => Lifecycle(c.Saga, OrderLifecycleKind.Completed))
                .Publish(c => new OrderCreateCompleted(c.Saga.CorrelationId, OrderCreateStatus.Completed,
                    c.Saga.Amount, c.Saga.TrackingNumber, null))
                .TransitionTo(Completed));

        // Redeliveries and replies that no longer fit the order's state: acknowledged, no effect.
        During(Reserving, Ignore(Submitted), Ignore(Charged), Ignore(Declined), Ignore(Released), Ignore(Shipped));
        During(Charging, Ignore(Submitted), Ignore(Reserved), Ignore(Unavailable), Ignore(Released), Ignore(Shipped));
        During(Compensating, Ignore(Submitted), Ignore(Reserved), Ignore(Unavailable), Ignore(Charged), Ignore(Declined),
            Ignore(Shipped));
        During(Shipping, Ignore(Submitted), Ignore(Reserved), Ignore(Unavailable), Ignore(Charged), Ignore(Declined),
            Ignore(Released));
        During(Completed, Cancelled, Ignore(Submitted), Ignore(Reserved), Ignore(Unavailable), Ignore(Charged),
            Ignore(Declined), Ignore(Released), Ignore(Shipped), Ignore(TimedOut));
    }

    public State Reserving { get; private set; } = null!;
    public State Charging { get; private set; } = null!;
    public State Compensating { get; private set; } = null!;
    public State Shipping { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<OrderSubmitted> Submitted { get; private set; } = null!;
    public Event<StockReserved> Reserved { get; private set; } = null!;
    public Event<StockUnavailable> Unavailable { get; private set; } = null!;
    public Event<PaymentCharged> Charged { get; private set; } = null!;
    public Event<PaymentDeclined> Declined { get; private set; } = null!;
    public Event<StockReleased> Released { get; private set; } = null!;
    public Event<OrderShipped> Shipped { get; private set; } = null!;
    public Event<OrderTimedOut> TimedOut { get; private set; } = null!;

    static bool IsOrderAmount(decimal amount) => amount is > 0 and <= OrderAmounts.Max;

    // A reply for an order this saga never saw is discarded rather than starting an instance.
    static void ReplyTo<T>(IEventCorrelationConfigurator<OrderState, T> x) where T : class
    {
        x.CorrelateById(c => OrderIdOf(c.Message));
        x.OnMissingInstance(m => m.Discard());
    }

    static Guid OrderIdOf(object message) => message switch
    {
        StockReserved m => m.OrderId,
        StockUnavailable m => m.OrderId,
        PaymentCharged m => m.OrderId,
        PaymentDeclined m => m.OrderId,
        StockReleased m => m.OrderId,
        OrderShipped m => m.OrderId,
        OrderTimedOut m => m.OrderId,
        _ => throw new ArgumentException($"{message.GetType().Name} is not an order reply", nameof(message)),
    };

    void StartStep(OrderState saga) => saga.StepDeadline = _clock.GetUtcNow() + _stepTimeout;

    void End(OrderState saga, string error)
    {
        saga.Error = error;
        saga.StepDeadline = null;
    }

    // A timeout fired for an earlier step's deadline (the order moved on meanwhile) comes before the current one.
    bool IsDue(OrderState saga) => saga.StepDeadline is { } deadline && deadline <= _clock.GetUtcNow();

    static string StepName(string state) => state switch
    {
        nameof(Reserving) => "stock reservation",
        nameof(Charging) => "payment",
        nameof(Shipping) => "shipping",
        _ => state,
    };

    OrderLifecycleEvent Lifecycle(OrderState saga, string kind, string? reason = null) =>
        new(saga.CorrelationId, saga.CustomerId, kind, saga.Amount, reason, _clock.GetUtcNow());

    static OrderCreateCompleted Failed(OrderState saga) =>
        new(saga.CorrelationId, OrderCreateStatus.Failed, null, null, saga.Error);
}
