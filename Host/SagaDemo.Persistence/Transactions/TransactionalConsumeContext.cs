using MassTransit;
using MassTransit.Context;
using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.Transactions;

/// <summary>
/// A consume context bound to one <see cref="PostgresTransactionContext"/>: it carries the transaction
/// as a payload and, with an outbox destination, swaps in an <see cref="OutboxReceiveContext"/> so that
/// whatever is published or sent through it (or any context created from it) becomes outbox rows of
/// that transaction. The saga repository and the transactional consumer filter both build on it.
/// </summary>
public class TransactionalConsumeContext<TMessage> : ConsumeContextScope<TMessage>
    where TMessage : class
{
    public TransactionalConsumeContext(ConsumeContext<TMessage> context, PostgresTransactionContext transaction,
        Func<Type, string>? outboxDestination)
        : base(context, transaction)
    {
        Transaction = transaction;
        if (outboxDestination is null)
            return;
        // Record key: the consumed message's correlation id, so one flow's messages stay in one partition.
        var collector = new TransactionOutboxCollector(transaction, context, context.CorrelationId?.ToString());
        var receiveContext = new OutboxReceiveContext(context.ReceiveContext, collector, outboxDestination);
        ReceiveContext = receiveContext;
        PublishEndpointProvider = receiveContext.PublishEndpointProvider;
    }

    public PostgresTransactionContext Transaction { get; }
}
