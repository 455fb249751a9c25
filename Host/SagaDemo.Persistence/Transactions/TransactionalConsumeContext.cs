using MassTransit;
using MassTransit.Context;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.Transactions;

/// <summary>
/// A consume context bound to one unit of work (a <see cref="PostgresTransactionContext"/>, or a group commit's write
/// set): it carries the unit as a payload and, with an outbox destination, swaps in an <see cref="OutboxReceiveContext"/>
/// so that whatever is published or sent through it (or any context created from it) becomes outbox rows of that unit.
/// The saga repository and the transactional consumer filter both build on it.
/// </summary>
public class TransactionalConsumeContext<TMessage> : ConsumeContextScope<TMessage>
    where TMessage : class
{
    public TransactionalConsumeContext(ConsumeContext<TMessage> context, PostgresTransactionContext transaction,
        Func<Type, string>? outboxDestination)
        : this(context, transaction, transaction, outboxDestination)
    {
    }

    /// <summary>Bound to a group commit's write set: publishes become its outgoing messages.</summary>
    public TransactionalConsumeContext(ConsumeContext<TMessage> context, WriteSet writes, Func<Type, string>? outboxDestination)
        : this(context, writes, writes, outboxDestination)
    {
    }

    protected TransactionalConsumeContext(ConsumeContext<TMessage> context, object unitOfWork, IOutgoingMessages outgoing,
        Func<Type, string>? outboxDestination)
        : base(context, unitOfWork)
    {
        if (outboxDestination is null)
            return;
        // Record key: the consumed message's correlation id, so one flow's messages stay in one partition.
        var collector = new TransactionOutboxCollector(outgoing, context, context.CorrelationId?.ToString());
        var receiveContext = new OutboxReceiveContext(context.ReceiveContext, collector, outboxDestination);
        ReceiveContext = receiveContext;
        PublishEndpointProvider = receiveContext.PublishEndpointProvider;
    }
}
