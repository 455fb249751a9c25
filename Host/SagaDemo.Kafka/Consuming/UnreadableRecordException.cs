namespace SagaDemo.Kafka.Consuming;

/// <summary>A record that cannot be turned into a message of its topic; the message says why, for the dead-letter reader.</summary>
public sealed class UnreadableRecordException(string message, Exception? inner = null) : Exception(message, inner);
