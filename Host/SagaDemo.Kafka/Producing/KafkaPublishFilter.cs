using System.Diagnostics;
using MassTransit;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// Sends every published contract message to its Kafka topic and waits for Kafka's acknowledgement before
/// the publish completes. Sagas and consumers keep using MassTransit's ordinary Publish; with the in-memory
/// outbox on their endpoint the publishes run before the consume completes, so a record's offset is only
/// committed after what it produced is in Kafka. Messages of types no topic carries pass through untouched.
/// </summary>
/// <remarks>
/// A singleton, not a DI-scoped filter: the in-memory outbox runs deferred publishes after the consumer's
/// scope is disposed. MassTransit runs a bus-level publish filter both in the endpoint's and the bus's publish
/// pipe, so a payload marks a publish as already produced.
/// </remarks>
public sealed class KafkaPublishFilter(TopicCatalog catalog, KafkaMessageProducer producer, OutgoingRecords records) :
    IFilter<PublishContext>
{
    public async Task Send(PublishContext context, IPipe<PublishContext> next)
    {
        if (context is PublishContext<object> publish && !context.TryGetPayload<ProducedToKafka>(out _))
        {
            var message = publish.Message;
            var messageType = message.GetType();
            if (catalog.TryGetTopic(messageType, out var topic))
            {
                context.GetOrAddPayload(() => new ProducedToKafka());
                context.MessageId ??= NewId.NextGuid();
                var record = records.Of(topic, message, context.MessageId.Value, ContextOf(context), context.CorrelationId?.ToString("D"));
                await producer.ProduceAsync(record.Topic, record.Key, record.Value, record.Headers, context.CancellationToken);
                context.Serializer = KafkaOnlyBodySerializer.Instance;
            }
        }
        await next.Send(context);
    }

    static RecordContext ContextOf(PublishContext context)
    {
        var activity = Activity.Current;
        return new RecordContext(
            CorrelationId: context.CorrelationId?.ToString("D"),
            ConversationId: context.ConversationId?.ToString("D"),
            TraceParent: context.Headers.Get<string>(KafkaHeaderNames.TraceParent) ?? (activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null),
            TraceState: context.Headers.Get<string>(KafkaHeaderNames.TraceState) ?? activity?.TraceStateString,
            ClientId: context.Headers.Get<string>(KafkaHeaderNames.ClientId) ?? AmbientRecordHeaders.Get(KafkaHeaderNames.ClientId));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("kafkaPublish");

    sealed class ProducedToKafka;
}
