using MassTransit;
using Npgsql;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// Saga work for a group commit: instances are read at once, outside any transaction; writes are collected in a
/// <see cref="WriteSet"/> as versioned statements. Optimistic concurrency keeps this as safe as a transaction of its
/// own: a write finds the version it read, or the group commit hands back the conflict and the retry reads again.
/// </summary>
/// <remarks><paramref name="prefetched"/>: the instance already read with the inbox check, handed out by the first load of its id.</remarks>
public sealed class GroupedSagaUnitOfWork<TSaga>(NpgsqlDataSource dataSource, SagaDocumentStore<TSaga> store, WriteSet writes,
    (Guid CorrelationId, TSaga? Instance)? prefetched = null)
    : SagaUnitOfWork<TSaga>
    where TSaga : class, ISagaVersion
{
    (Guid CorrelationId, TSaga? Instance)? _prefetched = prefetched;

    public WriteSet Writes => writes;

    public override async Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        if (_prefetched is var (id, instance) && id == correlationId)
        {
            _prefetched = null;
            return instance;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await store.LoadAsync(connection, null, correlationId, forUpdate: false, cancellationToken);
    }

    public override async Task<bool> TryInsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        if (await LoadAsync(saga.CorrelationId, cancellationToken) is not null)
            return false;
        writes.Add(store.InsertWrite(saga));
        return true;
    }

    public override Task InsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        writes.Add(store.InsertWrite(saga));
        return Task.CompletedTask;
    }

    public override Task UpdateAsync(TSaga saga, CancellationToken cancellationToken)
    {
        writes.Add(store.UpdateWrite(saga));
        return Task.CompletedTask;
    }

    public override Task DeleteAsync(TSaga saga, CancellationToken cancellationToken)
    {
        writes.Add(store.DeleteWrite(saga));
        return Task.CompletedTask;
    }

    public override void AddOutgoing(OutboxMessage message) => writes.AddOutgoing(message);
}
