using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using MassTransit;
using Npgsql;
using NpgsqlTypes;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Inbox;
using SagaDemo.Persistence.Reads;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// SQL of one saga table: the instance is a JSON document; <c>version</c> guards concurrent writers;
/// <c>current_state</c> and <c>deadline</c> are projections for queries. Every call runs in the caller's
/// transaction.
/// </summary>
public sealed class SagaDocumentStore<TSaga>
    where TSaga : class, ISagaVersion
{
    readonly string _table;
    readonly Func<TSaga, DateTimeOffset?> _deadline;
    readonly Func<TSaga, string?> _currentState;

    public SagaDocumentStore(PostgresSagaRepositoryOptions<TSaga> options)
    {
        _table = $"{SqlIdentifier.Validate(options.Schema, "schema")}.{SqlIdentifier.Validate(options.Table, "table")}";
        _deadline = options.Deadline ?? (_ => null);
        _currentState = options.CurrentState ?? DefaultCurrentState();
    }

    public string QualifiedTable => _table;

    public async Task<TSaga?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid correlationId,
        bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT data::text, version FROM {_table} WHERE correlation_id = $1{(forUpdate ? " FOR UPDATE" : "")}",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = correlationId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// What a grouped event reads first, outside any transaction: whether its consumer's inbox already has
    /// <paramref name="messageId"/>, and the instance it most likely concerns (its correlation id), or null. Events of
    /// other lanes asking at the same time share the statement (<see cref="KeyedReadBatcher{TKey,TValue}"/>); each gets
    /// an instance of its own, read by a statement that started after it asked.
    /// </summary>
    public async Task<(bool Applied, TSaga? Instance)> ReadForEventAsync(NpgsqlDataSource dataSource, string schema, string inboxConsumer,
        Guid messageId, Guid correlationId, CancellationToken cancellationToken)
    {
        var reads = _eventReads.GetOrAdd((dataSource, schema, inboxConsumer), key => new(
            (events, _) => ReadEventsAsync(key.DataSource, EventReadSql(key.Schema), key.InboxConsumer, events)));
        var row = await reads.ReadAsync((messageId, correlationId), cancellationToken)
                  ?? throw new InvalidOperationException("The inbox and instance query returned no row for an event.");
        return (row.Applied, row.Document is { } document ? Read(document, row.Version) : null);
    }

    readonly ConcurrentDictionary<(NpgsqlDataSource DataSource, string Schema, string InboxConsumer),
        KeyedReadBatcher<(Guid MessageId, Guid CorrelationId), EventRow>> _eventReads = new();

    /// <summary>One row of the event read: the document as text, so each event deserializes an instance of its own.</summary>
    sealed record EventRow(bool Applied, string? Document, int Version);

    // One row per asked event, always: whether the inbox has it, and the instance's columns (NULL: none). LATERAL keeps
    // each instance an index lookup whatever the planner guesses of the array's length.
    string EventReadSql(string schema) => $"""
        SELECT wanted.n, EXISTS (SELECT 1 FROM {SqlIdentifier.Validate(schema, nameof(schema))}.{InboxTable.Name}
                                 WHERE consumer = $1 AND message_id = wanted.message_id),
               saga.data, saga.version
        FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS wanted (message_id, id, n)
        LEFT JOIN LATERAL (SELECT data::text AS data, version FROM {_table} WHERE correlation_id = wanted.id) AS saga ON true
        """;

    static async Task<IReadOnlyDictionary<(Guid MessageId, Guid CorrelationId), EventRow>> ReadEventsAsync(NpgsqlDataSource dataSource,
        string sql, string inboxConsumer, IReadOnlyList<(Guid MessageId, Guid CorrelationId)> events)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = inboxConsumer });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.MessageId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.CorrelationId).ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<(Guid, Guid), EventRow>(events.Count);
        while (await reader.ReadAsync())
            rows[events[(int)reader.GetInt64(0) - 1]] = new EventRow(reader.GetBoolean(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? 0 : reader.GetInt32(3));
        return rows;
    }

    /// <summary>Inserts a new instance at version 1; false when one with this id exists already.</summary>
    public async Task<bool> TryInsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TSaga saga,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"{InsertSql} ON CONFLICT (correlation_id) DO NOTHING", connection, transaction);
        command.Parameters.AddRange(DocumentParameters(saga, versionAfterWrite: 1));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            return false;
        saga.Version = 1;
        return true;
    }

    /// <summary>Inserts a new instance at version 1; a concurrent creator of the same id wins and this one conflicts.</summary>
    public async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TSaga saga,
        CancellationToken cancellationToken)
    {
        if (!await TryInsertAsync(connection, transaction, saga, cancellationToken))
            throw Conflict(saga, "was created concurrently");
    }

    /// <summary>Writes the instance if it still has the version it was loaded with, and bumps the version.</summary>
    public async Task UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TSaga saga,
        CancellationToken cancellationToken)
    {
        var expected = saga.Version;
        await using var command = new NpgsqlCommand(UpdateSql, connection, transaction);
        command.Parameters.AddRange(UpdateParameters(saga));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw Conflict(saga, $"is no longer at version {expected}");
        saga.Version = expected + 1;
    }

    public async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TSaga saga,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(DeleteSql, connection, transaction);
        command.Parameters.AddRange(DeleteParameters(saga));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw Conflict(saga, $"is no longer at version {saga.Version}");
    }

    /// <summary>
    /// Every instance matching <paramref name="filter"/>. A full scan evaluated in .NET: meant for
    /// MassTransit's expression queries on small tables; hot paths get their own indexed query.
    /// </summary>
    public async Task<IReadOnlyList<TSaga>> ScanAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        Func<TSaga, bool> filter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT data::text, version FROM {_table}", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var matches = new List<TSaga>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var saga = Read(reader);
            if (filter(saga))
                matches.Add(saga);
        }
        return matches;
    }

    public async Task<IReadOnlyList<SagaDeadline>> FindExpiredAsync(NpgsqlConnection connection, DateTimeOffset now, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = new NpgsqlCommand($"""
            SELECT correlation_id, deadline, current_state FROM {_table}
            WHERE deadline IS NOT NULL AND deadline < $1 ORDER BY deadline LIMIT $2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var expired = new List<SagaDeadline>();
        while (await reader.ReadAsync(cancellationToken))
            expired.Add(new SagaDeadline(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetString(2)));
        return expired;
    }

    /// <summary>The instance of the (document, version) columns.</summary>
    static TSaga Read(NpgsqlDataReader reader) => Read(reader.GetString(0), reader.GetInt32(1));

    static TSaga Read(string document, int version)
    {
        var saga = JsonSerializer.Deserialize<TSaga>(document, PersistenceJson.Options)
                   ?? throw new InvalidOperationException($"A {typeof(TSaga).Name} row holds a null document.");
        // The column is the authority: the document's copy is informational only.
        saga.Version = version;
        return saga;
    }

    string InsertSql => $"INSERT INTO {_table} (correlation_id, version, current_state, deadline, data) VALUES ($1, 1, $2, $3, $4)";

    string UpdateSql => $"""
        UPDATE {_table} SET version = version + 1, current_state = $2, deadline = $3, data = $4, updated_at = now()
        WHERE correlation_id = $1 AND version = $5
        """;

    string DeleteSql => $"DELETE FROM {_table} WHERE correlation_id = $1 AND version = $2";

    NpgsqlParameter[] UpdateParameters(TSaga saga) =>
        [.. DocumentParameters(saga, versionAfterWrite: saga.Version + 1), new NpgsqlParameter { Value = saga.Version }];

    static NpgsqlParameter[] DeleteParameters(TSaga saga) =>
        [new NpgsqlParameter { Value = saga.CorrelationId }, new NpgsqlParameter { Value = saga.Version }];

    /// <summary>
    /// The insert of a new instance at version 1, for a group commit: a row with this id that exists by then (a
    /// concurrent creator won) fails it, and the owner retries as after any lost race.
    /// </summary>
    public PendingWrite InsertWrite(TSaga saga)
    {
        var write = new PendingWrite(InsertSql, DocumentParameters(saga, versionAfterWrite: 1), ExpectedRows: 1,
            e => Conflict(saga, "was created concurrently", e));
        saga.Version = 1;
        return write;
    }

    /// <summary>The versioned update, for a group commit: it must change one row, or the instance moved on meanwhile.</summary>
    public PendingWrite UpdateWrite(TSaga saga)
    {
        var expected = saga.Version;
        var write = new PendingWrite(UpdateSql, UpdateParameters(saga), ExpectedRows: 1,
            e => Conflict(saga, $"is no longer at version {expected}", e));
        saga.Version = expected + 1;
        return write;
    }

    public PendingWrite DeleteWrite(TSaga saga)
    {
        var version = saga.Version;
        return new PendingWrite(DeleteSql, DeleteParameters(saga), ExpectedRows: 1,
            e => Conflict(saga, $"is no longer at version {version}", e));
    }

    NpgsqlParameter[] DocumentParameters(TSaga saga, int versionAfterWrite)
    {
        var version = saga.Version;
        saga.Version = versionAfterWrite;
        string document;
        try
        {
            document = JsonSerializer.Serialize(saga, PersistenceJson.Options);
        }
        finally
        {
            saga.Version = version;
        }
        return
        [
            new NpgsqlParameter { Value = saga.CorrelationId },
            new NpgsqlParameter { Value = (object?)_currentState(saga) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (object?)_deadline(saga)?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter { Value = document, NpgsqlDbType = NpgsqlDbType.Jsonb },
        ];
    }

    static SagaConcurrencyException Conflict(TSaga saga, string what, Exception? cause = null)
    {
        PersistenceMetrics.SagaConflicts.Add(1, new KeyValuePair<string, object?>("saga", typeof(TSaga).Name));
        var message = $"{typeof(TSaga).Name} {saga.CorrelationId} {what}";
        return cause is null
            ? new SagaConcurrencyException(message, typeof(TSaga), saga.CorrelationId)
            : new SagaConcurrencyException(message, typeof(TSaga), saga.CorrelationId, cause);
    }

    static Func<TSaga, string?> DefaultCurrentState()
    {
        var property = typeof(TSaga).GetProperty("CurrentState", BindingFlags.Public | BindingFlags.Instance);
        if (property is null || property.PropertyType != typeof(string))
            return _ => null;
        return saga => (string?)property.GetValue(saga);
    }
}
