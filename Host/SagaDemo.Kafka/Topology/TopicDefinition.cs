namespace SagaDemo.Kafka.Topology;

/// <summary>
/// A Kafka topic and the message types it carries; the first is assumed for a record without a type header.
/// <paramref name="Producer"/> is the one service that writes it (null: no service claims it, anyone may write);
/// an <paramref name="IsEntry"/> topic is written by that service but open to any client as well, the way into
/// the system for Kafka clients (kcat and the like).
/// </summary>
public sealed record TopicDefinition(string Name, IReadOnlyList<Type> MessageTypes, string? Producer = null, bool IsEntry = false);
