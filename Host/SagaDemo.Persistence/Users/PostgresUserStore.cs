using Npgsql;
using NpgsqlTypes;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Users;

namespace SagaDemo.Persistence.Users;

/// <summary>Users in <c>&lt;schema&gt;.users</c>; a second add of the same id changes nothing.</summary>
public sealed class PostgresUserStore(NpgsqlDataSource dataSource, string schema = "users") : SchemaStore(dataSource, schema), IUserStore
{
    /// <summary>Inside a group commit the insert joins the message's write set and the answer is true (queued).</summary>
    public Task<bool> AddAsync(User user, CancellationToken cancellationToken)
    {
        object?[] values = [user.Id, user.Name, new NpgsqlParameter { Value = (object?)user.Email ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            user.CreatedAt, user.OperationId, user.Owner ?? ""];
        if (DeferredWrites is { } writes)
        {
            writes.Add(BlindWrite(InsertSql, values));
            return Task.FromResult(true);
        }
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, InsertSql, values);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
    }

    string InsertSql => $"""
        INSERT INTO {Schema}.users (id, name, email, created_at, operation_id, owner) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (id) DO NOTHING
        """;

    public Task<User?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction,
                $"SELECT id, name, email, created_at, operation_id, owner FROM {Schema}.users WHERE id = $1", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new User(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetGuid(4))
                { Owner = reader.GetString(5) is { Length: > 0 } owner ? owner : null }
                : null;
        }, cancellationToken);
}
