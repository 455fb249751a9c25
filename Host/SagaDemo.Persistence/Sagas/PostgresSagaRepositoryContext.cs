using MassTransit;
using MassTransit.Saga;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// The saga repository's view of one delivered message: loads and writes instances in the message's
/// transaction. With the outbox on, it also replaces the publish/send providers, so what the saga
/// publishes becomes outbox rows of the same transaction.
/// </summary>
sealed class PostgresSagaRepositoryContext<TSaga, TMessage> :
    TransactionalConsumeContext<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    readonly PostgresTransactionContext _transaction;
    readonly SagaDocumentStore<TSaga> _store;
    readonly ISagaConsumeContextFactory<PostgresTransactionContext, TSaga> _factory;
    readonly bool _lockOnLoad;

    public PostgresSagaRepositoryContext(PostgresTransactionContext transaction, ConsumeContext<TMessage> context,
        SagaDocumentStore<TSaga> store, ISagaConsumeContextFactory<PostgresTransactionContext, TSaga> factory,
        PostgresSagaRepositoryOptions<TSaga> options)
        : base(context, transaction, options.UseOutbox ? options.Destination : null)
    {
        _transaction = transaction;
        _store = store;
        _factory = factory;
        _lockOnLoad = options.ConcurrencyMode == SagaConcurrencyMode.Pessimistic;
    }

    // Saga consume contexts wrap this context (not the original), so they inherit the outbox providers.
    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode) where T : class =>
        _factory.CreateSagaConsumeContext(_transaction, consumeContext, instance, mode);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_transaction, this, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        // MassTransit's contract: a pre-insert that finds the instance existing returns null and the pipe loads it.
        if (!await _store.TryInsertAsync(_transaction.Connection, _transaction.Transaction, instance, CancellationToken))
            return null!;
        return await _factory.CreateSagaConsumeContext(_transaction, this, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _store.LoadAsync(_transaction.Connection, _transaction.Transaction, correlationId, _lockOnLoad,
            CancellationToken);
        if (instance is null)
            return null!;
        return await _factory.CreateSagaConsumeContext(_transaction, this, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context) =>
        _store.InsertAsync(_transaction.Connection, _transaction.Transaction, context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<TSaga> context) =>
        _store.UpdateAsync(_transaction.Connection, _transaction.Transaction, context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) =>
        _store.DeleteAsync(_transaction.Connection, _transaction.Transaction, context.Saga, CancellationToken);

    // Nothing was written yet for a discarded/undone instance; the transaction rolls back what the message did.
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;
}
