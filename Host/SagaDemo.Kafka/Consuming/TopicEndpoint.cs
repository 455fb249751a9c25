namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// One Kafka consumer group reading <paramref name="Topics"/> and handing each record to the MassTransit
/// receive endpoint <paramref name="EndpointName"/> (by convention the group's name).
/// </summary>
public sealed record TopicEndpoint(string Group, IReadOnlyList<string> Topics, string EndpointName)
{
    public TopicEndpoint(string group, IReadOnlyList<string> topics) : this(group, topics, group) { }
}
