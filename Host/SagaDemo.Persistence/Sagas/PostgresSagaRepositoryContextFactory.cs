using MassTransit;
using MassTransit.Saga;
using Npgsql;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Inbox;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// Plugs the PostgreSQL store into MassTransit's generic <c>SagaRepository</c>. With group commit (the default for
/// optimistic concurrency) a delivered message's inbox entry, instance writes and outbox rows are collected and
/// written by the schema's <see cref="GroupCommitter"/> in one transaction with other lanes' messages; otherwise in
/// one transaction per message. Either way the message is done only once that commit succeeded, and any exception
/// (a <see cref="SagaConcurrencyException"/> above all) leaves nothing of it written, so the endpoint's retry policy
/// starts over with a fresh load.
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
    readonly ISagaConsumeContextFactory<SagaUnitOfWork<TSaga>, TSaga> _factory;
    readonly GroupCommitter? _groupCommitter;

    public PostgresSagaRepositoryContextFactory(NpgsqlDataSource dataSource, PostgresSagaRepositoryOptions<TSaga> options,
        SagaDocumentStore<TSaga> store, ISagaConsumeContextFactory<SagaUnitOfWork<TSaga>, TSaga> factory, GroupCommitters groupCommitters)
    {
        _dataSource = dataSource;
        _options = options;
        _store = store;
        _factory = factory;
        if (options.GroupCommit && options.ConcurrencyMode == SagaConcurrencyMode.Optimistic)
            _groupCommitter = groupCommitters.For(options.Schema);
    }

    bool LockOnLoad => _options.ConcurrencyMode == SagaConcurrencyMode.Pessimistic;

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "postgresql");
        context.Add("table", _store.QualifiedTable);
        context.Add("groupCommit", _groupCommitter is not null);
    }

    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class =>
        _groupCommitter is { } committer ? SendGrouped(context, next, committer) : SendInTransaction(context, next);

    async Task SendGrouped<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next, GroupCommitter committer)
        where T : class
    {
        var cancellationToken = context.CancellationToken;
        var writes = new WriteSet(_options.Schema);
        (Guid, TSaga?)? prefetched = null;
        if (_options.UseInbox && context.MessageId is { } messageId)
        {
            // The common redelivery (applied and committed long ago) is skipped here; one racing a concurrent
            // delivery is caught by the inbox entry's unique key when the group commits. The instance the event's
            // correlation id names comes along in the same round trip.
            var consumer = _options.EffectiveInboxConsumer;
            bool applied;
            if (context.CorrelationId is { } correlationId)
            {
                (applied, var instance) = await _store.ReadForEventAsync(_dataSource, _options.Schema, consumer, messageId, correlationId,
                    cancellationToken);
                prefetched = (correlationId, instance);
            }
            else
                applied = await InboxTable.ContainsAsync(_dataSource, _options.Schema, consumer, messageId, cancellationToken);
            if (applied)
            {
                PersistenceMetrics.InboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
                return;
            }
            writes.RecordInbox(consumer, messageId);
        }
        var work = new GroupedSagaUnitOfWork<TSaga>(_dataSource, _store, writes, prefetched);
        await next.Send(new PostgresSagaRepositoryContext<TSaga, T>(work, context, _factory, _options));
        await committer.CommitAsync(writes, cancellationToken);
    }

    async Task SendInTransaction<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        var cancellationToken = context.CancellationToken;
        await using var transaction = await PostgresTransactionContext.BeginAsync(_dataSource, _options.Schema, cancellationToken);
        try
        {
            if (_options.UseInbox && context.MessageId is { } messageId
                && !await transaction.TryRecordInboxAsync(_options.EffectiveInboxConsumer, messageId, cancellationToken))
                return; // a redelivery of a message this saga already applied: acknowledge, change nothing

            var work = new TransactionSagaUnitOfWork<TSaga>(transaction, _store, LockOnLoad);
            await next.Send(new PostgresSagaRepositoryContext<TSaga, T>(work, context, _factory, _options));
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
        var work = new TransactionSagaUnitOfWork<TSaga>(transaction, _store, LockOnLoad);
        var repositoryContext = new PostgresSagaRepositoryContext<TSaga, T>(work, context, _factory, _options);
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
