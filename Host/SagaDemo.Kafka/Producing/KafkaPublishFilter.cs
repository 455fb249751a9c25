using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Headers = Confluent.Kafka.Headers;
using MassTransit;
using MassTransit.Serialization;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// Sends every published contract message to its Kafka topic and waits for Kafka's acknowledgement before
/// the publish completes. Sagas and consumers keep using MassTransit's ordinary Publish; with the in-memory
/// outbox on their endpoint the publishes run before the consume completes, so a record's offset is only
/// committed after what it produced is in Kafka. Messages of types no topic carries pass through untouched.
/// </summary>
public sealed class KafkaPublishFilter<T>(TopicCatalog catalog, KafkaMessageProducer producer, MessageKeySelector keys) :
    IFilter<PublishContext<T>>
    where T : class
{
    public async Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        var messageType = context.Message.GetType();
        if (catalog.TryGetTopic(messageType, out var topic) || catalog.TryGetTopic(typeof(T), out topic))
        {
            var key = keys.KeyOf(context.Message, context);
            var value = JsonSerializer.SerializeToUtf8Bytes(context.Message, messageType, SystemTextJsonMessageSerializer.Options);
            await producer.ProduceAsync(topic, key, value, HeadersOf(context, messageType, key), context.CancellationToken);
        }
        await next.Send(context);
    }

    static Headers HeadersOf(PublishContext<T> context, Type messageType, string? key)
    {
        context.MessageId ??= NewId.NextGuid();
        var headers = new Headers();
        Add(headers, KafkaHeaderNames.MessageType, messageType.Name);
        Add(headers, KafkaHeaderNames.MessageId, context.MessageId?.ToString("D"));
        Add(headers, KafkaHeaderNames.CorrelationId, context.CorrelationId?.ToString("D") ?? key);
        Add(headers, KafkaHeaderNames.ConversationId, context.ConversationId?.ToString("D"));

        var activity = Activity.Current;
        var traceParent = context.Headers.Get<string>(KafkaHeaderNames.TraceParent)
            ?? (activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null);
        Add(headers, KafkaHeaderNames.TraceParent, traceParent);
        Add(headers, KafkaHeaderNames.TraceState, context.Headers.Get<string>(KafkaHeaderNames.TraceState) ?? activity?.TraceStateString);
        return headers;
    }

    static void Add(Headers headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            headers.Add(name, Encoding.UTF8.GetBytes(value));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("kafkaPublish");
}
