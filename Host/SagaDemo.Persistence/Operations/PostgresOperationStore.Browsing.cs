using Npgsql;
using NpgsqlTypes;
using SagaDemo.Services.Operations.Browsing;

namespace SagaDemo.Persistence.Operations;

public sealed partial class PostgresOperationStore : IOperationBrowser
{
    // Every condition is always present and switched off by a NULL parameter: one statement text, one cached plan.
    // Newest first walks ConsoleTables' (created_at, id) index.
    public Task<OperationPage> ListAsync(OperationFilter filter, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, $"""
                SELECT {Columns}, count(*) OVER () FROM {Schema}.operations
                WHERE ($1 OR owner = $2)
                  AND ($3::text IS NULL OR type = $3)
                  AND ($4::text IS NULL OR status = $4)
                  AND ($5::timestamptz IS NULL OR created_at >= $5)
                  AND ($6::timestamptz IS NULL OR created_at < $6)
                  AND ($7::text IS NULL OR id::text LIKE '%' || $7 || '%')
                ORDER BY created_at DESC, id DESC
                OFFSET $8 LIMIT $9
                """, filter.AllOwners, filter.Owner ?? "", Text(filter.Type), Text(filter.Status), Time(filter.From),
                Time(filter.To), Text(filter.IdText), filter.Offset, filter.Limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var items = new List<Services.Operations.Operation>();
            var total = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Read(reader));
                total = (int)reader.GetInt64(12);
            }
            // A page past the end has no row to carry the count.
            if (items.Count == 0 && filter.Offset > 0)
                total = await CountAsync(filter, cancellationToken);
            return new OperationPage(items, total);
        }, cancellationToken);

    async Task<int> CountAsync(OperationFilter filter, CancellationToken cancellationToken)
    {
        var all = await ListAsync(filter with { Offset = 0, Limit = 1 }, cancellationToken);
        return all.Total;
    }

    static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
