using Npgsql;
using NpgsqlTypes;
using SagaDemo.Contracts.Orders;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Statistics;

namespace SagaDemo.Persistence.Statistics;

/// <summary>
/// Order statistics in <c>&lt;schema&gt;.counted_events</c>. Each (order, kind) is a row, so counting is
/// idempotent by primary key and concurrent consumers never contend on a shared counter row; the
/// totals are an aggregate over the rows.
/// </summary>
public sealed class PostgresStatisticsStore(NpgsqlDataSource dataSource, string schema = "statistics")
    : SchemaStore(dataSource, schema), IStatisticsStore
{
    public Task<bool> RecordOnceAsync(Guid orderId, string kind, decimal? amount, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, $"""
                INSERT INTO {Schema}.counted_events (order_id, kind, amount) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
                """, orderId, kind, new NpgsqlParameter { Value = (object?)amount ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<OrderStatistics> GetAsync(CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, $"""
                SELECT count(*) FILTER (WHERE kind = $1),
                       count(*) FILTER (WHERE kind = $2),
                       count(*) FILTER (WHERE kind = $3),
                       coalesce(sum(amount) FILTER (WHERE kind = $2), 0)
                FROM {Schema}.counted_events
                """, OrderLifecycleKind.Submitted, OrderLifecycleKind.Completed, OrderLifecycleKind.Cancelled);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            long submitted = reader.GetInt64(0), completed = reader.GetInt64(1), cancelled = reader.GetInt64(2);
            return new OrderStatistics(submitted, completed, cancelled, Math.Max(0, submitted - completed - cancelled),
                reader.GetDecimal(3));
        }, cancellationToken);
}
