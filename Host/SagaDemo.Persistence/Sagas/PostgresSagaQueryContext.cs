using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;
using Npgsql;

namespace SagaDemo.Persistence.Sagas;

/// <summary>Read-only access for <see cref="IQuerySagaRepository{TSaga}"/> and <see cref="ILoadSagaRepository{TSaga}"/>.</summary>
sealed class PostgresSagaQueryContext<TSaga>(NpgsqlConnection connection, SagaDocumentStore<TSaga> store, CancellationToken cancellationToken) :
    BasePipeContext(cancellationToken),
    QuerySagaRepositoryContext<TSaga>,
    LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task<TSaga> Load(Guid correlationId) =>
        (await store.LoadAsync(connection, null, correlationId, forUpdate: false, CancellationToken))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
    {
        var instances = await store.ScanAsync(connection, null, query.GetFilter(), cancellationToken);
        return new LoadedSagaRepositoryQueryContext<TSaga>(this, instances);
    }
}
