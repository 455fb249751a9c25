using Npgsql;

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

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    protected async Task InTransactionAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken) =>
        await InTransactionAsync(async (c, t) =>
        {
            await work(c, t);
            return true;
        }, cancellationToken);

    protected static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters)
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
