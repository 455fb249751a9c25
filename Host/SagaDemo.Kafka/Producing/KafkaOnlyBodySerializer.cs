using System.Net.Mime;
using MassTransit;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// The body serializer of a publish that <see cref="KafkaPublishFilter"/> has already produced to Kafka. MassTransit
/// still hands such a publish to the bus's own (in-memory) transport, which serializes a full envelope for an
/// exchange nobody consumes from: Kafka is the only path those messages take. An empty body spares that work on
/// every message.
/// </summary>
public sealed class KafkaOnlyBodySerializer : IMessageSerializer
{
    public static readonly KafkaOnlyBodySerializer Instance = new();

    public ContentType ContentType { get; } = new("application/vnd.sagademo.produced-to-kafka");

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class => new EmptyMessageBody();
}
