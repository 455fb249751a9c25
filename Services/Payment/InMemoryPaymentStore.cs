using System.Collections.Concurrent;
using SagaDemo.Services.Hosting.Retention;

namespace SagaDemo.Services.Payment;

/// <summary>
/// Payment decisions in process memory, for one-process runs and tests. A decision is what makes a redelivered charge
/// answer the same without charging twice; it is forgotten after retention, like the saga that asked for it.
/// </summary>
public sealed class InMemoryPaymentStore : IPaymentStore, IRetainedStore
{
    readonly ConcurrentDictionary<Guid, PaymentRecord> _payments = new();

    public string Name => "payment decisions";

    public Task<PaymentRecord> RecordOnceAsync(PaymentRecord record, CancellationToken cancellationToken) =>
        Task.FromResult(_payments.GetOrAdd(record.OrderId, record));

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        Task.FromResult(_payments.RemoveExpired(payment => payment.DecidedAt < olderThan));
}
