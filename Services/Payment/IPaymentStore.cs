namespace SagaDemo.Services.Payment;

/// <summary>One order's payment decision; <see cref="Charged"/> false means declined with <see cref="Reason"/>.</summary>
public sealed record PaymentRecord(Guid OrderId, string CustomerId, decimal Amount, bool Charged, string? Reason, DateTimeOffset DecidedAt);

/// <summary>Payment decisions, at most one per order.</summary>
public interface IPaymentStore
{
    /// <summary>Stores <paramref name="record"/> unless the order already has one; returns the stored (first) decision.</summary>
    Task<PaymentRecord> RecordOnceAsync(PaymentRecord record, CancellationToken cancellationToken);
}
