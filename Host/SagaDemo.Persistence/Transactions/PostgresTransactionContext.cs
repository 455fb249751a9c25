using Npgsql;
using SagaDemo.Persistence.Inbox;
using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.Transactions;

/// <summary>
/// One database transaction in one service schema, the unit in which a message is applied: the state
/// change, the inbox record of the message id and the outgoing messages commit together or not at all.
/// The saga repository opens one per delivered message and puts it on the consume context as a payload
/// (<c>context.GetPayload&lt;PostgresTransactionContext&gt;()</c>), so code running inside the saga can join it.
/// Not thread-safe: one message, one flow of control.
/// </summary>
public sealed class PostgresTransactionContext : IAsyncDisposable, IOutgoingMessages
{
    /// <summary>Channel of the NOTIFY sent when a commit added outbox rows; the payload is the schema.</summary>
    public const string OutboxChannel = "sagademo_outbox";

    readonly List<OutboxMessage> _outgoing = [];
    bool _completed;

    PostgresTransactionContext(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema)
    {
        Connection = connection;
        Transaction = transaction;
        Schema = schema;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }
    public string Schema { get; }

    /// <summary>Messages added so far that will be written to the outbox on commit.</summary>
    public IReadOnlyList<OutboxMessage> PendingOutgoing => _outgoing;

    public static async Task<PostgresTransactionContext> BeginAsync(NpgsqlDataSource dataSource, string schema,
        CancellationToken cancellationToken = default)
    {
        SqlIdentifier.Validate(schema, nameof(schema));
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new PostgresTransactionContext(connection, transaction, schema);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public NpgsqlCommand CreateCommand(string sql) => new(sql, Connection, Transaction);

    /// <summary>False when <paramref name="consumer"/> already applied this message: skip it, it was a redelivery.</summary>
    public Task<bool> TryRecordInboxAsync(string consumer, Guid messageId, CancellationToken cancellationToken = default) =>
        InboxTable.TryRecordAsync(Connection, Transaction, Schema, consumer, messageId, cancellationToken);

    /// <summary>Queues a message for this schema's outbox; written (in order) by <see cref="CommitAsync"/>.</summary>
    public void AddOutgoing(OutboxMessage message)
    {
        if (_completed)
            throw new InvalidOperationException("The transaction has already completed.");
        _outgoing.Add(message);
    }

    /// <summary>The NOTIFY telling relays that <paramref name="schema"/>'s outbox has new rows once the transaction commits.</summary>
    public static NpgsqlBatchCommand NotifyCommand(string schema)
    {
        var command = new NpgsqlBatchCommand($"SELECT pg_notify('{OutboxChannel}', $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        return command;
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
            throw new InvalidOperationException("The transaction has already completed.");
        if (_outgoing.Count > 0)
        {
            // One round trip: the rows and the NOTIFY that wakes the relays (delivered only if the commit succeeds).
            await using var batch = new NpgsqlBatch(Connection, Transaction);
            batch.BatchCommands.Add(OutboxTable.AppendCommand(Schema, _outgoing));
            batch.BatchCommands.Add(NotifyCommand(Schema));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            PersistenceMetrics.OutboxWritten.Add(_outgoing.Count, new KeyValuePair<string, object?>("schema", Schema));
        }
        await Transaction.CommitAsync(cancellationToken);
        _completed = true;
    }

    /// <summary>Rolls back unless committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _completed = true;
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
