using System.Diagnostics.Metrics;
using Npgsql;

namespace SagaDemo.Persistence.Retention;

/// <summary>
/// Deletes a table's rows past retention in small batches: each DELETE picks at most <c>batchSize</c> rows by
/// <c>ctid</c> (works for any key, composite ones included) with <c>FOR UPDATE SKIP LOCKED</c>, so a row a live
/// transaction holds is skipped rather than waited for, and every statement commits on its own.
/// </summary>
public static class TablePruner
{
    public static readonly Counter<long> Pruned = PersistenceMetrics.Meter.CreateCounter<long>("sagademo.retention.pruned",
        unit: "{row}", description: "Rows removed by retention (finished operations, terminal sagas, inbox and parked outbox rows)");

    public static async Task<long> PruneAsync(NpgsqlDataSource dataSource, PrunableTable table, DateTimeOffset olderThan,
        int batchSize, TimeSpan pauseBetweenBatches, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var t = table.QualifiedName;
        var sql = $"""
            DELETE FROM {t} WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM {t} WHERE {table.AgeColumn} < $1 AND ({table.Finished})
                LIMIT $2 FOR UPDATE SKIP LOCKED))
            """;
        var tag = new KeyValuePair<string, object?>("table", $"{table.Schema}.{table.Table}");
        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = olderThan });
            command.Parameters.Add(new NpgsqlParameter { Value = batchSize });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted > 0)
                Pruned.Add(deleted, tag);
            if (deleted < batchSize)
                return total;
            await Task.Delay(pauseBetweenBatches, cancellationToken);
        }
    }
}
