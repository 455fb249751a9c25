namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Where a consumed message came from; a payload of its MassTransit ConsumeContext
/// (<c>context.TryGetPayload(out KafkaRecordContext? record)</c>).
/// </summary>
public sealed record KafkaRecordContext(string Group, string Topic, int Partition, long Offset, string? Key, DateTime Timestamp);
