namespace SagaDemo.Kafka.Topology;

/// <summary>
/// Kafka record headers this app writes and reads (UTF-8 strings). Every header is optional on input:
/// a plain record from kcat or any client is valid.
/// </summary>
public static class KafkaHeaderNames
{
    /// <summary>Contract type name, e.g. <c>UserCreateRequested</c> (full name or MassTransit URN also accepted).</summary>
    public const string MessageType = "message-type";
    public const string MessageId = "message-id";
    public const string CorrelationId = "correlation-id";
    public const string ConversationId = "conversation-id";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>
    /// The API client an entry record is for: the contract's <c>ContractHeaders.ClientId</c> (the rider knows no
    /// contract; a host test holds the two names equal). Signed, and passed on only with a producer's signature.
    /// </summary>
    public const string ClientId = "client-id";

    /// <summary>The producing service's signature (see <see cref="Signing.RecordSignatures"/>).</summary>
    public const string Signature = "signature";

    // Added to a record copied to a dead-letter topic.
    public const string DeadLetterError = "dead-letter-error";
    public const string DeadLetterExceptionType = "dead-letter-exception-type";
    public const string DeadLetterTopic = "dead-letter-original-topic";
    public const string DeadLetterPartition = "dead-letter-original-partition";
    public const string DeadLetterOffset = "dead-letter-original-offset";
    public const string DeadLetterConsumerGroup = "dead-letter-consumer-group";

    /// <summary>On a dead-letter copy too large to write whole: what was left out of it, and where the original is.</summary>
    public const string DeadLetterOmitted = "dead-letter-omitted";
}
