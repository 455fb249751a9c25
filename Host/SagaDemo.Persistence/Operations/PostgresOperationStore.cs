using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Reads;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Persistence.Operations;

/// <summary>
/// Operations in <c>&lt;schema&gt;.operations</c>; finishing is a conditional UPDATE, so the first writer wins.
/// A repeated (owner, idempotency key) is settled by the unique index: the INSERT does nothing (after waiting
/// for a concurrent inserter of the same key to commit or roll back) and the earlier row is read back.
/// </summary>
/// <param name="finishedInGroup">
/// Told of each operation a group-committed <see cref="FinishAsync"/> finished, after that commit (the caller got the
/// operation as it was before, since nothing was durable yet): what counts finished operations hooks in here.
/// </param>
public sealed partial class PostgresOperationStore(NpgsqlDataSource dataSource, string schema = "operations",
    Action<Operation>? finishedInGroup = null)
    : SchemaStore(dataSource, schema), IOperationStore, IPendingOperationCounter
{
    const string Columns =
        "id, type, status, created_at, updated_at, request::text, result::text, error, subject_id, owner, idempotency_key, request_hash";

    /// <summary>
    /// Inside a group commit (the launcher's, for an operation without an idempotency key) the insert joins the write
    /// set and the operation is answered as stored; a key needs the earlier row back, so that runs in a transaction.
    /// </summary>
    public Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken)
    {
        object?[] values = [operation.Id, operation.Type, operation.Status, operation.CreatedAt, operation.UpdatedAt,
            Json(operation.Request), Json(operation.Result), Text(operation.Error), operation.SubjectId,
            operation.Owner ?? "", Text(operation.IdempotencyKey), Text(operation.RequestHash)];
        if (operation.IdempotencyKey is null && DeferredWrites is { } writes)
        {
            // As in the transaction below: a taken id is the caller's mistake; any other error stays what it is.
            writes.Add(DeferredWrite(InsertSql, 1, e => e is null or { SqlState: PostgresErrorCodes.UniqueViolation }
                ? new InvalidOperationException($"Operation {operation.Id} already exists.", e)
                : e, values));
            if (!OperationTypes.IsRun(operation.Type))
                writes.Add(BlindWrite(ForgetOldRefusalsSql, operation.Owner ?? "", IOperationStore.RefusedKeptPerOwner));
            return Task.FromResult(operation);
        }
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using (var command = Command(connection, transaction, InsertSql, values))
            {
                try
                {
                    if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
                    {
                        if (!OperationTypes.IsRun(operation.Type))
                            await ForgetOldRefusalsAsync(connection, transaction, operation.Owner ?? "", cancellationToken);
                        return operation;
                    }
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw new InvalidOperationException($"Operation {operation.Id} already exists.", e);
                }
            }
            await using var existing = Command(connection, transaction,
                $"SELECT {Columns} FROM {Schema}.operations WHERE owner = $1 AND idempotency_key = $2",
                operation.Owner ?? "", operation.IdempotencyKey);
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? Read(reader)
                : throw new InvalidOperationException($"Idempotency key of operation {operation.Id} conflicted with no row.");
        }, cancellationToken);
    }

    string InsertSql => $"""
        INSERT INTO {Schema}.operations
            (id, type, status, created_at, updated_at, request, result, error, subject_id, owner, idempotency_key, request_hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        """;

    string ForgetOldRefusalsSql => $"""
        DELETE FROM {Schema}.operations WHERE id IN (
            SELECT id FROM {Schema}.operations WHERE owner = $1 AND {OperationTables.RefusedCondition}
            ORDER BY created_at DESC, id DESC OFFSET $2)
        """;

    Task ForgetOldRefusalsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string owner, CancellationToken cancellationToken) =>
        ExecuteAsync(Command(connection, transaction, ForgetOldRefusalsSql, owner, IOperationStore.RefusedKeptPerOwner), cancellationToken);

    static async Task ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
            await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Outside a transaction (status polls, the operations consumer's read before its finish) reads that arrive together
    /// share one statement; inside one, the read runs there and sees that transaction's writes.
    /// </summary>
    public Task<Operation?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        AmbientTransaction.For(Schema) is null
            ? _finds.ReadAsync(id, cancellationToken)
            : ReadAsync((connection, transaction) => ReadAsync(connection, transaction, id, cancellationToken), cancellationToken);

    readonly KeyedReadBatcher<Guid, Operation> _finds = new((ids, cancellationToken) => ReadManyAsync(dataSource,
        $"SELECT {Columns} FROM {SqlIdentifier.Validate(schema, nameof(schema))}.operations WHERE id = ANY($1)", ids, cancellationToken));

    static async Task<IReadOnlyDictionary<Guid, Operation>> ReadManyAsync(NpgsqlDataSource dataSource, string sql,
        IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new Dictionary<Guid, Operation>(ids.Count);
        while (await reader.ReadAsync(cancellationToken))
        {
            var operation = Read(reader);
            found[operation.Id] = operation;
        }
        return found;
    }

    public Task<Operation?> FinishAsync(Guid id, OperationOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (DeferredWrites is { } writes)
            return FinishInGroupAsync(writes, id, outcome, at, cancellationToken);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using (var command = Command(connection, transaction, $"""
                             {FinishSql}
                             RETURNING {Columns}
                             """, id, outcome.Status, Json(outcome.Result), Text(outcome.Error), outcome.SubjectId, at))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                if (await reader.ReadAsync(cancellationToken))
                    // The column keeps microseconds; the contract says the winner sees its own `at` exactly.
                    return Read(reader) with { UpdatedAt = at };
            return await ReadAsync(connection, transaction, id, cancellationToken);
        }, cancellationToken);
    }

    string FinishSql => $"""
        UPDATE {Schema}.operations
        SET status = $2, result = $3, error = $4, subject_id = COALESCE($5, subject_id), updated_at = $6
        WHERE id = $1 AND status = '{OperationStatus.Pending}'
        """;

    /// <summary>
    /// Inside a group commit (the operations consumer's): the conditional update joins the write set, and the operation
    /// comes back as it is now, not yet finished. It is read first, for the caller (null: unknown) and for the hook,
    /// which learns after the commit whether this update was the one that finished it.
    /// </summary>
    async Task<Operation?> FinishInGroupAsync(WriteSet writes, Guid id, OperationOutcome outcome, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var current = await FindAsync(id, cancellationToken);
        if (current is null || current.Status != OperationStatus.Pending)
            return current;
        var finished = current with
        {
            Status = outcome.Status, Result = outcome.Result, Error = outcome.Error,
            SubjectId = outcome.SubjectId ?? current.SubjectId, UpdatedAt = at,
        };
        writes.Add(BlindWrite(FinishSql, id, outcome.Status, Json(outcome.Result), Text(outcome.Error), outcome.SubjectId, at)
            with { Committed = rows => { if (rows == 1) finishedInGroup?.Invoke(finished); } });
        return current;
    }

    /// <summary>One scan for admission control (every few hundred ms, from one sampler per api process).</summary>
    public Task<PendingOperations> CountPendingAsync(TimeSpan finishedWindow, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, $"""
                SELECT owner,
                       count(*) FILTER (WHERE status = '{OperationStatus.Pending}'),
                       count(*) FILTER (WHERE status <> '{OperationStatus.Pending}' AND updated_at >= now() - $1)
                FROM {Schema}.operations
                WHERE status = '{OperationStatus.Pending}' OR updated_at >= now() - $1
                GROUP BY owner
                """, finishedWindow);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var byOwner = new Dictionary<string, int>(StringComparer.Ordinal);
            int total = 0, finished = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                var pending = (int)reader.GetInt64(1);
                total += pending;
                finished += (int)reader.GetInt64(2);
                if (pending > 0)
                    byOwner[reader.GetString(0)] = pending;
            }
            return new PendingOperations(total, byOwner, finished, finishedWindow);
        }, cancellationToken);

    async Task<Operation?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {Columns} FROM {Schema}.operations WHERE id = $1", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    static Operation Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4),
        JsonDocument.Parse(reader.GetString(5)).RootElement.Clone(),
        reader.IsDBNull(6) ? null : JsonDocument.Parse(reader.GetString(6)).RootElement.Clone(),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetGuid(8))
    {
        Owner = reader.GetString(9) is { Length: > 0 } owner ? owner : null,
        IdempotencyKey = reader.IsDBNull(10) ? null : reader.GetString(10),
        RequestHash = reader.IsDBNull(11) ? null : reader.GetString(11),
    };

    static NpgsqlParameter Json(JsonElement? value) =>
        new() { Value = value is { } json ? json.GetRawText() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Json };

    static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
