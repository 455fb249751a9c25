using System.Diagnostics.Metrics;

namespace SagaDemo.Persistence;

/// <summary>Counters of the storage layer; the telemetry project exports meter <see cref="MeterName"/>.</summary>
public static class PersistenceMetrics
{
    public const string MeterName = "SagaDemo.Persistence";

    internal static readonly Meter Meter = new(MeterName);

    /// <summary>Optimistic-concurrency conflicts; each one is retried by the endpoint's retry policy.</summary>
    public static readonly Counter<long> SagaConflicts =
        Meter.CreateCounter<long>("sagademo.saga.conflicts", description: "Saga updates that lost an optimistic-concurrency race");

    public static readonly Counter<long> InboxDuplicates =
        Meter.CreateCounter<long>("sagademo.inbox.duplicates", description: "Redelivered messages acknowledged without a second effect");

    public static readonly Counter<long> OutboxWritten =
        Meter.CreateCounter<long>("sagademo.outbox.written", description: "Messages written to an outbox table");

    public static readonly Counter<long> OutboxDelivered =
        Meter.CreateCounter<long>("sagademo.outbox.delivered", description: "Outbox messages acknowledged by the sink and removed");

    /// <summary>Messages (write sets) per group-commit transaction: how much each commit carried.</summary>
    public static readonly Histogram<int> GroupCommitSize = Meter.CreateHistogram<int>("sagademo.group_commit.size",
        description: "Consumed messages whose changes one group-commit transaction wrote",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    public static readonly Counter<long> OutboxParked =
        Meter.CreateCounter<long>("sagademo.outbox.parked", description: "Outbox rows that could never be delivered, moved to outbox_parked");
}
