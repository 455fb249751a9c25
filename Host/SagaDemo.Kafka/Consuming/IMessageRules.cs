namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Rules on a message's content that its consumers hold it to, whoever produced it (lengths, ranges, counts):
/// checked on every record after it is read, before any consumer or saga sees it. A violation dead-letters the
/// record with the returned reason.
/// </summary>
public interface IMessageRules
{
    /// <summary>Why <paramref name="message"/> is refused, or null when it keeps every rule.</summary>
    string? Violation(object message);
}
