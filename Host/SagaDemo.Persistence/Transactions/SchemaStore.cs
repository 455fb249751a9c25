using Npgsql;
using SagaDemo.Persistence.GroupCommit;

namespace SagaDemo.Persistence.Transactions;

/// <summary>
/// What every service store builds on: runs a unit of work in the ambient transaction of its schema
/// when a consumer's (or the launcher's) transaction is open, so the effect commits with the inbox
/// record and the outgoing messages; otherwise in a transaction of its own (HTTP reads, tests).
/// </summary>
public abstract class SchemaStore(NpgsqlDataSource dataSource, string schema)
{
    protected string Schema { get; } = SqlIdentifier.Validate(schema, nameof(schema));

    protected NpgsqlDataSource DataSource => dataSource;

    protected async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work,
        CancellationToken cancellationToken)
    {
        if (AmbientTransaction.For(Schema) is { } ambient)
            return await work(ambient.Connection, ambient.Transaction);
        if (AmbientWriteSet.For(Schema) is not null)
            throw new InvalidOperationException(
                $"{GetType().Name} cannot write at once inside a group commit of schema {Schema}: its write would commit apart from the message's.");

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// A read of one statement: in the ambient transaction when one is open (it sees that transaction's writes),
    /// otherwise on its own, without BEGIN and COMMIT (one statement is one snapshot anyway). Status polls are most of
    /// the API's queries; each was three round trips.
    /// </summary>
    protected async Task<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction?, Task<T>> read, CancellationToken cancellationToken)
    {
        if (AmbientTransaction.For(Schema) is { } ambient)
            return await read(ambient.Connection, ambient.Transaction);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await read(connection, null);
    }

    protected async Task InTransactionAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken) =>
        await InTransactionAsync(async (c, t) =>
        {
            await work(c, t);
            return true;
        }, cancellationToken);

    /// <summary>The group commit's write set of this schema when one is open: blind writes go there instead of to the database.</summary>
    protected WriteSet? DeferredWrites => AmbientWriteSet.For(Schema);

    /// <summary>
    /// A statement for <see cref="DeferredWrites"/> whose row count does not matter (an insert that may find its row,
    /// a conditional update); an error it raises at commit is its message's, which the endpoint retries.
    /// </summary>
    protected static PendingWrite BlindWrite(string sql, params object?[] parameters) =>
        DeferredWrite(sql, null, e => (Exception?)e ?? new InvalidOperationException("A blind write has no expected row count to miss."), parameters);

    /// <summary>A statement for <see cref="DeferredWrites"/>; see <see cref="PendingWrite"/> for the row count and the conflict.</summary>
    protected static PendingWrite DeferredWrite(string sql, int? expectedRows, Func<PostgresException?, Exception> conflict,
        params object?[] parameters) =>
        new(sql, [.. parameters.Select(Parameter)], expectedRows, conflict);

    static NpgsqlParameter Parameter(object? value) => value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value };

    protected static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters)
            command.Parameters.Add(Parameter(value));
        return command;
    }
}
