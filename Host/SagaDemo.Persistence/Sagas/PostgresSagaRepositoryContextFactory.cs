using MassTransit;
using MassTransit.Saga;
using Npgsql;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// Plugs the PostgreSQL store into MassTransit's generic <c>SagaRepository</c>: one transaction per
/// delivered message, committed after the state machine ran and the instance was written. Any exception
/// (a <see cref="SagaConcurrencyException"/> above all) rolls everything back, including inbox record and
/// outbox rows, and the endpoint's retry policy starts over with a fresh load.
/// </summary>
public sealed class PostgresSagaRepositoryContextFactory<TSaga> :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    readonly NpgsqlDataSource _dataSource;
    readonly PostgresSagaRepositoryOptions<TSaga> _options;
    readonly SagaDocumentStore<TSaga> _store;
    readonly ISagaConsumeContextFactory<PostgresTransactionContext, TSaga> _factory;

    public PostgresSagaRepositoryContextFactory(NpgsqlDataSource dataSource, PostgresSagaRepositoryOptions<TSaga> options,
        SagaDocumentStore<TSaga> store, ISagaConsumeContextFactory<PostgresTransactionContext, TSaga> factory)
    {
        _dataSource = dataSource;
        _options = options;
        _store = store;
        _factory = factory;
    }

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "postgresql");
        context.Add("table", _store.QualifiedTable);
    }

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        var cancellationToken = context.CancellationToken;
        await using var transaction = await PostgresTransactionContext.BeginAsync(_dataSource, _options.Schema, cancellationToken);
        try
        {
            if (_options.UseInbox && context.MessageId is { } messageId
                && !await transaction.TryRecordInboxAsync(_options.EffectiveInboxConsumer, messageId, cancellationToken))
                return; // a redelivery of a message this saga already applied: acknowledge, change nothing

            var repositoryContext = new PostgresSagaRepositoryContext<TSaga, T>(transaction, context, _store, _factory, _options);
            await next.Send(repositoryContext);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.IsTransient)
        {
            // Serialization failures and deadlocks between instances' transactions: retry like a version conflict.
            throw new SagaConcurrencyException(e.MessageText, typeof(TSaga), context.CorrelationId ?? Guid.Empty, e);
        }
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var cancellationToken = context.CancellationToken;
        await using var transaction = await PostgresTransactionContext.BeginAsync(_dataSource, _options.Schema, cancellationToken);
        var instances = await _store.ScanAsync(transaction.Connection, transaction.Transaction, query.GetFilter(), cancellationToken);
        var repositoryContext = new PostgresSagaRepositoryContext<TSaga, T>(transaction, context, _store, _factory, _options);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<TResult> Execute<TResult>(Func<QuerySagaRepositoryContext<TSaga>, Task<TResult>> asyncMethod,
        CancellationToken cancellationToken = default) where TResult : class =>
        ExecuteReadOnly(asyncMethod, cancellationToken);

    public Task<TResult> Execute<TResult>(Func<LoadSagaRepositoryContext<TSaga>, Task<TResult>> asyncMethod,
        CancellationToken cancellationToken = default) where TResult : class =>
        ExecuteReadOnly(asyncMethod, cancellationToken);

    async Task<TResult> ExecuteReadOnly<TResult>(Func<PostgresSagaQueryContext<TSaga>, Task<TResult>> asyncMethod,
        CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await asyncMethod(new PostgresSagaQueryContext<TSaga>(connection, _store, cancellationToken));
    }
}
