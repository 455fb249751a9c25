using MassTransit;
using Npgsql;

namespace SagaDemo.Persistence.Sagas;

/// <summary>The indexed deadline query over one saga table.</summary>
public sealed class PostgresSagaDeadlineQuery<TSaga>(NpgsqlDataSource dataSource, SagaDocumentStore<TSaga> store)
    : ISagaDeadlineQuery<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task<IReadOnlyList<SagaDeadline>> FindExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await store.FindExpiredAsync(connection, now, limit, cancellationToken);
    }
}
