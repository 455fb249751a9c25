namespace SagaDemo.Services.Hosting.Retention;

/// <summary>
/// Configuration section <c>Retention</c>: how long finished work is remembered. Within <see cref="Period"/> a
/// duplicate (a redelivered record, a repeated Idempotency-Key) still finds what the first one did; after it the
/// bookkeeping is gone, so keep it longer than the topics' retention (Kafka's default is 7 days) and longer than
/// clients retry.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Finished operations, terminal saga instances, inbox rows and parked outbox rows older than this are removed.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the pruner runs.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows per DELETE (PostgreSQL): small, so each statement holds its locks only briefly.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Pause between two batches, so a large backlog of old rows is removed without crowding out live work.</summary>
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(20);
}
