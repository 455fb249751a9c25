using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Outbox;

public sealed class OutboxRelayOptions
{
    public int BatchSize { get; set; } = 100;

    /// <summary>Longest wait between polls when no NOTIFY arrives (commits notify, so this is the fallback).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait after a failed delivery before the batch is tried again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Deliveries of a row the sink calls undeliverable before the row is parked.</summary>
    public int MaxAttempts { get; set; } = 3;
}

/// <summary>
/// Moves one schema's outbox rows to an <see cref="IOutboxSink"/>, oldest first. A batch is locked,
/// handed to the sink and deleted in one transaction, so a crash anywhere before that commit leaves the
/// rows for the next pass (at-least-once). Only one relay per schema works at a time (an advisory lock;
/// others find it taken and wait), which keeps the order across replicas. A row the sink can never deliver
/// (<see cref="OutboxUndeliverableException"/>) is tried <see cref="OutboxRelayOptions.MaxAttempts"/> times and then
/// parked in <c>outbox_parked</c> with its reason, so it no longer holds up every row behind it.
/// </summary>
public sealed class OutboxRelay(NpgsqlDataSource dataSource, string schema, IOutboxSink sink,
    OutboxRelayOptions? options = null, ILogger<OutboxRelay>? logger = null)
{
    readonly string _schema = SqlIdentifier.Validate(schema, nameof(schema));
    readonly OutboxRelayOptions _options = options ?? new OutboxRelayOptions();
    readonly ILogger _logger = logger ?? NullLogger<OutboxRelay>.Instance;

    public string Schema => _schema;

    /// <summary>Delivers one batch; returns how many rows it delivered (0: none pending, or another relay is active).</summary>
    public async Task<int> DeliverBatchAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var lockCommand = new NpgsqlCommand(
                         "SELECT pg_try_advisory_xact_lock(hashtext('sagademo.outbox:' || $1))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = _schema });
            if (await lockCommand.ExecuteScalarAsync(cancellationToken) is not true)
                return 0;
        }

        var batch = await OutboxTable.LockOldestAsync(connection, transaction, _schema, _options.BatchSize, cancellationToken);
        if (batch.Count == 0)
            return 0;

        try
        {
            await sink.DeliverAsync(batch, cancellationToken);
        }
        catch (OutboxUndeliverableException e)
        {
            var due = Due(e.Rows);
            if (due.Count == 0)
                throw;
            await OutboxTable.ParkAsync(connection, transaction, _schema, due, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var (id, attempts, reason) in due)
            {
                _attempts.Remove(id);
                _logger.LogError("Outbox row {Id} of schema {Schema} parked in {Schema}.outbox_parked after {Attempts} attempts: {Reason}",
                    id, _schema, _schema, attempts, reason);
            }
            PersistenceMetrics.OutboxParked.Add(due.Count, new KeyValuePair<string, object?>("schema", _schema));
            return due.Count;
        }
        await OutboxTable.DeleteAsync(connection, transaction, _schema, batch.Select(e => e.Id).ToArray(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var entry in batch)
            _attempts.Remove(entry.Id);
        PersistenceMetrics.OutboxDelivered.Add(batch.Count, new KeyValuePair<string, object?>("schema", _schema));
        return batch.Count;
    }

    // Failed deliveries per row this relay saw; kept in memory, so a restart grants each row its attempts anew.
    readonly Dictionary<long, int> _attempts = [];

    /// <summary>The undeliverable rows out of attempts, each with its count.</summary>
    List<(long Id, int Attempts, string Reason)> Due(IReadOnlyList<UndeliverableRow> rows)
    {
        var due = new List<(long, int, string)>();
        foreach (var row in rows)
        {
            var attempts = _attempts[row.EntryId] = _attempts.GetValueOrDefault(row.EntryId) + 1;
            if (attempts >= _options.MaxAttempts)
                due.Add((row.EntryId, attempts, row.Reason));
        }
        return due;
    }

    /// <summary>Delivers batches until none is pending.</summary>
    public async Task<int> DeliverAllAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        int delivered;
        while ((delivered = await DeliverBatchAsync(cancellationToken)) > 0)
            total += delivered;
        return total;
    }

    /// <summary>Runs until cancelled: drains the outbox, then waits for a commit's NOTIFY or the poll interval.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? listener = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    listener ??= await ListenAsync(cancellationToken);
                    Volatile.Write(ref _notified, 0);
                    await DeliverAllAsync(cancellationToken);
                    await WaitForOwnNotificationAsync(listener, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "Outbox relay for schema {Schema} failed; retrying in {Delay}", _schema, _options.RetryDelay);
                    if (listener is not null)
                        await CloseListenerAsync(listener);
                    listener = null;
                    await Task.Delay(_options.RetryDelay, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
        finally
        {
            if (listener is not null)
                await CloseListenerAsync(listener);
        }
    }

    int _notified;

    // Every service's commits notify one channel, with the schema as payload. Waking only for our own schema spares
    // an empty batch query per other service's commit, which under load is most of the relay's queries.
    async Task WaitForOwnNotificationAsync(NpgsqlConnection listener, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.PollInterval;
        while (Volatile.Read(ref _notified) == 0)
        {
            // Rounded up: Npgsql reads a timeout of 0 ms as "wait forever", which would end the polling fallback.
            var remainingMs = (int)Math.Ceiling((deadline - DateTime.UtcNow).TotalMilliseconds);
            if (remainingMs <= 0)
                return;
            await listener.WaitAsync(remainingMs, cancellationToken);
        }
    }

    // The pool does not reset returning connections (No Reset On Close), so the listener stops listening before it goes
    // back: a pooled connection nobody reads would otherwise keep receiving every commit's NOTIFY.
    static async Task CloseListenerAsync(NpgsqlConnection listener)
    {
        try
        {
            if (listener.State == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("UNLISTEN *", listener);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection is not returned to the pool; there is nothing left to unlisten.
        }
        await listener.DisposeAsync();
    }

    async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, e) =>
        {
            if (e.Payload == _schema)
                Volatile.Write(ref _notified, 1);
        };
        await using var command = new NpgsqlCommand($"LISTEN {PostgresTransactionContext.OutboxChannel}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
