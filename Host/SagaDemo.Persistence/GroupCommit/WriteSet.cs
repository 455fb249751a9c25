using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.GroupCommit;

/// <summary>
/// What one consumed message changes, collected instead of written: its inbox entry, its row writes and its outgoing
/// messages. A <see cref="GroupCommitter"/> writes it together with other messages' sets in one transaction, so all
/// of it commits or none of it does, as with a transaction of its own.
/// </summary>
public sealed class WriteSet(string schema) : IOutgoingMessages
{
    readonly List<PendingWrite> _writes = [];
    readonly List<OutboxMessage> _outgoing = [];

    public string Schema { get; } = SqlIdentifier.Validate(schema, nameof(schema));

    /// <summary>The inbox entry (consumer, message id) written first; a committed duplicate makes the whole set a no-op.</summary>
    public (string Consumer, Guid MessageId)? Inbox { get; private set; }

    public IReadOnlyList<PendingWrite> Writes => _writes;

    public IReadOnlyList<OutboxMessage> Outgoing => _outgoing;

    public void RecordInbox(string consumer, Guid messageId) => Inbox = (consumer, messageId);

    public void Add(PendingWrite write) => _writes.Add(write);

    public void AddOutgoing(OutboxMessage message) => _outgoing.Add(message);
}
