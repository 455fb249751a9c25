using MassTransit;

namespace SagaDemo.Kafka.Topology;

/// <summary>
/// Which topic carries which message type, and the names derived from topics: the one message-type-to-topic map
/// (the host builds it from its roles and hands it to the rider and to the outbox). Each message type lives on
/// exactly one topic; a record without a type header is read as its topic's first type.
/// </summary>
public sealed class TopicCatalog
{
    /// <summary>Suffix of the dead-letter topic of every topic: records a consumer group gave up on.</summary>
    public const string DeadLetterSuffix = ".dead-letter";

    readonly Dictionary<Type, string> _topicByType = new();
    readonly Dictionary<string, TopicDefinition> _byTopic = new(StringComparer.Ordinal);

    public TopicCatalog(IEnumerable<TopicDefinition> topics)
    {
        foreach (var topic in topics)
        {
            if (topic.MessageTypes.Count == 0)
                throw new ArgumentException($"Topic {topic.Name} declares no message type.");
            _byTopic.Add(topic.Name, topic);
            foreach (var type in topic.MessageTypes)
                if (!_topicByType.TryAdd(type, topic.Name))
                    throw new ArgumentException($"{type.Name} is mapped to both {_topicByType[type]} and {topic.Name}.");
        }
    }

    public IEnumerable<string> TopicNames => _byTopic.Keys;

    public IEnumerable<TopicDefinition> Definitions => _byTopic.Values;

    /// <summary>Every message type with the topic that carries it.</summary>
    public IReadOnlyDictionary<Type, string> TopicByType => _topicByType;

    public static string DeadLetterTopic(string topic) => topic + DeadLetterSuffix;

    public bool TryGetTopic(Type messageType, out string topic) => _topicByType.TryGetValue(messageType, out topic!);

    public bool IsKnownTopic(string topic) => _byTopic.ContainsKey(topic);

    public TopicDefinition? Definition(string topic) => _byTopic.GetValueOrDefault(topic);

    /// <summary>The services that produce the given topics (topics without a producer left out).</summary>
    public IEnumerable<string> ProducersOf(IEnumerable<string> topics) =>
        topics.Select(Definition).Select(d => d?.Producer).OfType<string>().Distinct(StringComparer.Ordinal);

    /// <summary>Every producing service named by a topic.</summary>
    public IEnumerable<string> Producers => ProducersOf(_byTopic.Keys);

    /// <summary>
    /// The message type of a record: its type header (short name, full name or MassTransit URN) when present,
    /// else the topic's first type. Null when the header names no type of this topic.
    /// </summary>
    public Type? ResolveMessageType(string topic, string? typeHeader)
    {
        if (!_byTopic.TryGetValue(topic, out var definition))
            return null;
        if (string.IsNullOrWhiteSpace(typeHeader))
            return definition.MessageTypes[0];
        return definition.MessageTypes.FirstOrDefault(t =>
            string.Equals(t.Name, typeHeader, StringComparison.Ordinal)
            || string.Equals(t.FullName, typeHeader, StringComparison.Ordinal)
            || string.Equals(MessageUrn.ForTypeString(t), typeHeader, StringComparison.Ordinal));
    }
}
