using MassTransit;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// Collects captured messages into a unit of work (a <see cref="PostgresTransactionContext"/> or a group commit's
/// write set), stamping them the way
/// MassTransit's consume-side publish would when a consumed message caused them (same conversation,
/// initiated by it). Shared by the saga repository, the transactional consumer filter and the launcher.
/// </summary>
public sealed class TransactionOutboxCollector(IOutgoingMessages transaction, ConsumeContext? consumed, string? key)
    : IOutboxCollector
{
    public string? Key { get; } = key;

    public void ApplyConsumeContextHeaders(SendContext context)
    {
        if (consumed is null)
            return;
        context.ConversationId = consumed.ConversationId ?? consumed.MessageId;
        context.InitiatorId = consumed.CorrelationId ?? consumed.MessageId;
        context.SourceAddress = consumed.ReceiveContext.InputAddress;
    }

    public void Add(OutboxMessage message) => transaction.AddOutgoing(message);
}
