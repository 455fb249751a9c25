using Npgsql;

namespace SagaDemo.Persistence.Inbox;

/// <summary>SQL of one schema's <c>inbox</c> table: which message ids each consumer has already applied.</summary>
public static class InboxTable
{
    public const string Name = "inbox";

    /// <summary>
    /// Records that <paramref name="consumer"/> processes <paramref name="messageId"/> in the caller's
    /// transaction. False: an earlier (committed) transaction already did, so the caller must not apply
    /// the message again. A concurrent duplicate waits here until the first transaction ends, then gets false
    /// (or true if the first one rolled back).
    /// </summary>
    public static async Task<bool> TryRecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema,
        string consumer, Guid messageId, CancellationToken cancellationToken)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {s}.inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        var recorded = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (!recorded)
            PersistenceMetrics.InboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
        return recorded;
    }

    /// <summary>Whether <paramref name="consumer"/> already applied <paramref name="messageId"/> (committed), read outside any transaction.</summary>
    public static async Task<bool> ContainsAsync(NpgsqlDataSource dataSource, string schema, string consumer, Guid messageId,
        CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(ContainsCommand(schema, consumer, messageId));
        return await batch.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>The query of <see cref="ContainsAsync"/> (one boolean), to batch with other reads.</summary>
    public static NpgsqlBatchCommand ContainsCommand(string schema, string consumer, Guid messageId)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        var command = new NpgsqlBatchCommand($"SELECT EXISTS (SELECT 1 FROM {s}.inbox WHERE consumer = $1 AND message_id = $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        return command;
    }

    /// <summary>
    /// The inbox entry as a statement of a group commit: no ON CONFLICT, so an entry a concurrent delivery committed
    /// first fails this statement (unique violation), which the group commit answers as a duplicate.
    /// </summary>
    public static NpgsqlBatchCommand InsertCommand(string schema, string consumer, Guid messageId)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        var command = new NpgsqlBatchCommand($"INSERT INTO {s}.inbox (consumer, message_id) VALUES ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        return command;
    }

    /// <summary>Forgets entries older than the redelivery horizon (Kafka retention), so the table stays small.</summary>
    public static async Task<int> PruneAsync(NpgsqlDataSource dataSource, string schema, DateTimeOffset processedBefore,
        CancellationToken cancellationToken = default)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        await using var command = dataSource.CreateCommand($"DELETE FROM {s}.inbox WHERE processed_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = processedBefore });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
