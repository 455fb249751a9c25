using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.Consumers;

/// <summary>How an endpoint's consumers run in PostgreSQL transactions; see <see cref="TransactionalConsumerConfiguration"/>.</summary>
public sealed class TransactionalConsumerOptions
{
    /// <summary>The service's schema (migrated, with inbox and outbox tables); its stores join the transaction.</summary>
    public required string Schema { get; init; }

    /// <summary>The receive endpoint (consumer group); with the consumer's type it names the inbox entry.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Outbox destination of a published message type: its Kafka topic (<see cref="MessageDestinations.TopicOf"/>).</summary>
    public required Func<Type, string> Destination { get; init; }
}
