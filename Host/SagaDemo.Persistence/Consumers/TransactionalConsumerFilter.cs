using MassTransit;
using Npgsql;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Consumers;

/// <summary>
/// Applies one consumed message exactly once: opens a transaction in the service's schema, records
/// (consumer, message id) in its inbox and skips the consumer when an earlier delivery already
/// committed; otherwise runs the consumer with the transaction ambient (the stores join it) and its
/// publishes captured into the outbox, and commits effect, inbox record and outgoing messages together.
/// A failure rolls all three back, and the endpoint's retry (outside this filter) starts afresh.
/// </summary>
public sealed class TransactionalConsumerFilter<TMessage>(NpgsqlDataSource dataSource, TransactionalConsumerOptions options,
    string inboxConsumer) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        var cancellationToken = context.CancellationToken;
        await using var transaction = await PostgresTransactionContext.BeginAsync(dataSource, options.Schema, cancellationToken);
        if (context.MessageId is { } messageId && !await transaction.TryRecordInboxAsync(inboxConsumer, messageId, cancellationToken))
            return; // a redelivery this consumer already applied: acknowledge, change nothing, send nothing

        using (AmbientTransaction.Enter(transaction))
            await next.Send(new TransactionalConsumeContext<TMessage>(context, transaction, options.Destination));
        await transaction.CommitAsync(cancellationToken);
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("postgresTransaction");
        scope.Add("schema", options.Schema);
        scope.Add("inboxConsumer", inboxConsumer);
    }
}
