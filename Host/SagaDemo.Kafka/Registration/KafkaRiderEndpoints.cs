using SagaDemo.Kafka.Consuming;

namespace SagaDemo.Kafka.Registration;

/// <summary>The topic endpoints this process consumes (each a consumer group feeding one receive endpoint).</summary>
public sealed class KafkaRiderEndpoints(IReadOnlyList<TopicEndpoint> all)
{
    public IReadOnlyList<TopicEndpoint> All { get; } = all;
}
