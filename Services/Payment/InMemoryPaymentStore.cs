using System.Collections.Concurrent;

namespace SagaDemo.Services.Payment;

/// <summary>Payment decisions in process memory, for one-process runs and tests.</summary>
public sealed class InMemoryPaymentStore : IPaymentStore
{
    readonly ConcurrentDictionary<Guid, PaymentRecord> _payments = new();

    public Task<PaymentRecord> RecordOnceAsync(PaymentRecord record, CancellationToken cancellationToken) =>
        Task.FromResult(_payments.GetOrAdd(record.OrderId, record));
}
