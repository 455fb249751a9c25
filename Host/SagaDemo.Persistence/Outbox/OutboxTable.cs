using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SagaDemo.Persistence.Outbox;

/// <summary>SQL of one schema's <c>outbox</c> table.</summary>
public static class OutboxTable
{
    /// <summary>Appends messages inside the caller's transaction; ids (delivery order) follow list order.</summary>
    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema,
        IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
            return;
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(AppendCommand(schema, messages));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        PersistenceMetrics.OutboxWritten.Add(messages.Count, new KeyValuePair<string, object?>("schema", schema));
    }

    /// <summary>
    /// One statement that appends all <paramref name="messages"/>, whatever their number (one parameter per column,
    /// arrays unnested in order), so the statement is the same text every time and stays prepared. Ids follow list order.
    /// </summary>
    public static NpgsqlBatchCommand AppendCommand(string schema, IReadOnlyList<OutboxMessage> messages)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {s}.outbox (message_id, destination, message_type, key, headers, body)
            SELECT m.message_id, m.destination, m.message_type, m.key, m.headers, m.body
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                WITH ORDINALITY AS m(message_id, destination, message_type, key, headers, body, position)
            ORDER BY m.position
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.MessageId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.Destination).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.MessageType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter
            { Value = messages.Select(m => JsonSerializer.Serialize(m.Headers, PersistenceJson.Options)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.Body).ToArray() });
        return command;
    }

    /// <summary>The oldest undelivered rows, locked for this transaction; rows another relay holds are skipped.</summary>
    public static async Task<IReadOnlyList<OutboxEntry>> LockOldestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string schema, int limit, CancellationToken cancellationToken)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        await using var command = new NpgsqlCommand($"""
            SELECT id, message_id, destination, message_type, key, headers, body, created_at
            FROM {s}.outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var entries = new List<OutboxEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5), PersistenceJson.Options) ?? [];
            var message = new OutboxMessage(reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), headers, reader.GetString(6));
            entries.Add(new OutboxEntry(reader.GetInt64(0), message, reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return entries;
    }

    public static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema,
        IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        await using var command = new NpgsqlCommand($"DELETE FROM {s}.outbox WHERE id = ANY($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Moves rows out of the outbox into <c>outbox_parked</c> with why, inside the caller's transaction.</summary>
    public static async Task ParkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema,
        IReadOnlyList<(long Id, int Attempts, string Reason)> rows, CancellationToken cancellationToken)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        await using var command = new NpgsqlCommand($"""
            WITH parked AS (DELETE FROM {s}.outbox WHERE id = ANY($1) RETURNING *)
            INSERT INTO {s}.outbox_parked (id, message_id, destination, message_type, key, headers, body, created_at, attempts, reason)
            SELECT p.id, p.message_id, p.destination, p.message_type, p.key, p.headers, p.body, p.created_at, r.attempts, r.reason
            FROM parked p JOIN unnest($1::bigint[], $2::integer[], $3::text[]) AS r(id, attempts, reason) ON r.id = p.id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Attempts).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Reason).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
