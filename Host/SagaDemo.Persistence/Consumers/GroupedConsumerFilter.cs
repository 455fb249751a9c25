using MassTransit;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Consumers;

/// <summary>
/// Applies one consumed message exactly once through the schema's <see cref="GroupCommitter"/>, for consumers whose
/// stores only write blindly: the inbox entry, what the stores add to the ambient <see cref="WriteSet"/> and the
/// captured publishes are one set, committed in one transaction together with other lanes' sets. The message is done
/// only after that commit; a redelivery that a concurrent or earlier delivery applied is caught by the inbox key at
/// commit and writes nothing. Any exception leaves nothing of the set written, and the endpoint's retry starts afresh.
/// </summary>
public sealed class GroupedConsumerFilter<TMessage>(GroupCommitter committer, TransactionalConsumerOptions options, string inboxConsumer)
    : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        var set = new WriteSet(options.Schema);
        if (context.MessageId is { } messageId)
            set.RecordInbox(inboxConsumer, messageId);
        using (AmbientWriteSet.Enter(set))
            await next.Send(new TransactionalConsumeContext<TMessage>(context, set, options.Destination));
        await committer.CommitAsync(set, context.CancellationToken);
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("postgresGroupCommit");
        scope.Add("schema", options.Schema);
        scope.Add("inboxConsumer", inboxConsumer);
    }
}
