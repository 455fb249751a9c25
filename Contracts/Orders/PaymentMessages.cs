namespace SagaDemo.Contracts.Orders;

/// <summary>Order saga -> payment, topic <c>payment-command</c>.</summary>
public sealed record ChargePayment(Guid OrderId, string CustomerId, decimal Amount);

/// <summary>Payment -> order saga, topic <c>payment-event</c>.</summary>
public sealed record PaymentCharged(Guid OrderId, decimal Amount);

/// <summary>Payment -> order saga, topic <c>payment-event</c>.</summary>
public sealed record PaymentDeclined(Guid OrderId, string Reason);
