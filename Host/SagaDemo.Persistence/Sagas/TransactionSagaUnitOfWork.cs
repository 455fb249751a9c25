using MassTransit;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Sagas;

/// <summary>Saga work in one transaction of its own: each statement runs at once; the repository commits at the end.</summary>
public sealed class TransactionSagaUnitOfWork<TSaga>(PostgresTransactionContext transaction, SagaDocumentStore<TSaga> store, bool lockOnLoad)
    : SagaUnitOfWork<TSaga>
    where TSaga : class, ISagaVersion
{
    public PostgresTransactionContext Transaction => transaction;

    public override Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken) =>
        store.LoadAsync(transaction.Connection, transaction.Transaction, correlationId, lockOnLoad, cancellationToken);

    public override Task<bool> TryInsertAsync(TSaga saga, CancellationToken cancellationToken) =>
        store.TryInsertAsync(transaction.Connection, transaction.Transaction, saga, cancellationToken);

    public override Task InsertAsync(TSaga saga, CancellationToken cancellationToken) =>
        store.InsertAsync(transaction.Connection, transaction.Transaction, saga, cancellationToken);

    public override Task UpdateAsync(TSaga saga, CancellationToken cancellationToken) =>
        store.UpdateAsync(transaction.Connection, transaction.Transaction, saga, cancellationToken);

    public override Task DeleteAsync(TSaga saga, CancellationToken cancellationToken) =>
        store.DeleteAsync(transaction.Connection, transaction.Transaction, saga, cancellationToken);

    public override void AddOutgoing(OutboxMessage message) => transaction.AddOutgoing(message);
}
