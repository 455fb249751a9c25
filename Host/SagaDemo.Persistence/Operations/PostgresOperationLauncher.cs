using MassTransit;
using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Operations;

namespace SagaDemo.Persistence.Operations;

/// <summary>
/// Stores the operation and its starting message in one transaction of the operations schema: the row
/// through <see cref="IOperationStore"/> (which joins the transaction, decorators included), the message
/// as an outbox row the relay delivers after commit. Either both exist or neither does.
/// </summary>
public sealed class PostgresOperationLauncher(NpgsqlDataSource dataSource, IOperationStore store, MessageDestinations destinations,
    string schema = "operations")
    : IOperationLauncher
{
    public async Task<Operation> LaunchAsync<T>(Operation pending, T message, CancellationToken cancellationToken) where T : class
    {
        await using var transaction = await PostgresTransactionContext.BeginAsync(dataSource, schema, cancellationToken);
        using (AmbientTransaction.Enter(transaction))
        {
            var stored = await store.AddAsync(pending, cancellationToken);
            // A repeated idempotency key: the earlier operation already has its message; send none.
            if (stored.Id != pending.Id)
                return stored;
            // The send pipe runs as for a publish (message id, headers); the result becomes the outbox row.
            var outbox = new OutboxSendEndpoint(new TransactionOutboxCollector(transaction, null, pending.Id.ToString()),
                destinations.TopicOf);
            // Whose operation it is travels with the message (signed with the record), for whoever keeps what it creates.
            await outbox.Send(message, Pipe.Execute<SendContext<T>>(context =>
            {
                if (pending.Owner is { } owner)
                    context.Headers.Set(ContractHeaders.ClientId, owner);
            }), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return pending;
    }
}
