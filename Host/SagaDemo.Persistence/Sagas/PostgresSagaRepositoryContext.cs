using MassTransit;
using MassTransit.Saga;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// The saga repository's view of one delivered message: loads and writes instances in the message's unit of work
/// (its own transaction, or a write set of a group commit). With the outbox on, it also replaces the publish/send
/// providers, so what the saga publishes becomes outbox rows of the same unit.
/// </summary>
sealed class PostgresSagaRepositoryContext<TSaga, TMessage> :
    TransactionalConsumeContext<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    readonly SagaUnitOfWork<TSaga> _work;
    readonly ISagaConsumeContextFactory<SagaUnitOfWork<TSaga>, TSaga> _factory;

    public PostgresSagaRepositoryContext(SagaUnitOfWork<TSaga> work, ConsumeContext<TMessage> context,
        ISagaConsumeContextFactory<SagaUnitOfWork<TSaga>, TSaga> factory, PostgresSagaRepositoryOptions<TSaga> options)
        : base(context, work, work, options.UseOutbox ? options.Destination : null)
    {
        _work = work;
        _factory = factory;
    }

    // Saga consume contexts wrap this context (not the original), so they inherit the outbox providers.
    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode) where T : class =>
        _factory.CreateSagaConsumeContext(_work, consumeContext, instance, mode);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_work, this, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        // MassTransit's contract: a pre-insert that finds the instance existing returns null and the pipe loads it.
        if (!await _work.TryInsertAsync(instance, CancellationToken))
            return null!;
        return await _factory.CreateSagaConsumeContext(_work, this, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _work.LoadAsync(correlationId, CancellationToken);
        if (instance is null)
            return null!;
        return await _factory.CreateSagaConsumeContext(_work, this, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => _work.InsertAsync(context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<TSaga> context) => _work.UpdateAsync(context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) => _work.DeleteAsync(context.Saga, CancellationToken);

    // Nothing was written yet for a discarded/undone instance; the unit of work drops what the message did.
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;
}
