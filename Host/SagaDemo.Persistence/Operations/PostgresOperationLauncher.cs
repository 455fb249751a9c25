using MassTransit;
using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Operations;

namespace SagaDemo.Persistence.Operations;

/// <summary>
/// Stores the operation and its starting message atomically in the operations schema: the row through
/// <see cref="IOperationStore"/> (which joins the unit of work, decorators included), the message as an outbox row the
/// relay delivers after commit. Either both exist or neither does. An operation without an idempotency key goes
/// through the schema's <see cref="GroupCommitter"/> (one transaction for the POSTs that arrive meanwhile); one with a
/// key needs the earlier operation of that key read back, so it takes a transaction of its own.
/// </summary>
public sealed class PostgresOperationLauncher(NpgsqlDataSource dataSource, IOperationStore store, MessageDestinations destinations,
    string schema = "operations", GroupCommitter? committer = null)
    : IOperationLauncher
{
    public async Task<Operation> LaunchAsync<T>(Operation pending, T message, CancellationToken cancellationToken) where T : class
    {
        if (pending.IdempotencyKey is null && committer is not null)
        {
            var writes = new WriteSet(schema);
            using (AmbientWriteSet.Enter(writes))
            {
                await store.AddAsync(pending, cancellationToken);
                await SendAsync(writes, pending, message, cancellationToken);
            }
            await committer.CommitAsync(writes, cancellationToken);
            return pending;
        }

        await using var transaction = await PostgresTransactionContext.BeginAsync(dataSource, schema, cancellationToken);
        using (AmbientTransaction.Enter(transaction))
        {
            var stored = await store.AddAsync(pending, cancellationToken);
            // A repeated idempotency key: the earlier operation already has its message; send none.
            if (stored.Id != pending.Id)
                return stored;
            await SendAsync(transaction, pending, message, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return pending;
    }

    Task SendAsync<T>(IOutgoingMessages unitOfWork, Operation pending, T message, CancellationToken cancellationToken) where T : class
    {
        // The send pipe runs as for a publish (message id, headers); the result becomes the outbox row.
        var outbox = new OutboxSendEndpoint(new TransactionOutboxCollector(unitOfWork, null, pending.Id.ToString()),
            destinations.TopicOf);
        // Whose operation it is travels with the message (signed with the record), for whoever keeps what it creates.
        return outbox.Send(message, Pipe.Execute<SendContext<T>>(context =>
        {
            if (pending.Owner is { } owner)
                context.Headers.Set(ContractHeaders.ClientId, owner);
        }), cancellationToken);
    }
}
