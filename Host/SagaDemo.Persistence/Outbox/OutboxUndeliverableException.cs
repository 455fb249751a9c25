namespace SagaDemo.Persistence.Outbox;

/// <summary>One outbox row a sink can never deliver, and why (too large, refused by the broker's ACLs, no such type).</summary>
public sealed record UndeliverableRow(long EntryId, string Reason);

/// <summary>
/// Thrown by an <see cref="IOutboxSink"/> when some rows of a batch can never be delivered, however often they are
/// tried. The relay tries them <see cref="OutboxRelayOptions.MaxAttempts"/> times, then parks them; the batch's other
/// rows are delivered again on the next pass. Anything else a sink throws counts as passing (a broker outage) and
/// is retried until it succeeds.
/// </summary>
public sealed class OutboxUndeliverableException(IReadOnlyList<UndeliverableRow> rows)
    : Exception($"{rows.Count} outbox row(s) cannot be delivered: {string.Join("; ", rows.Select(r => $"row {r.EntryId}: {r.Reason}"))}")
{
    public IReadOnlyList<UndeliverableRow> Rows { get; } = rows;
}
