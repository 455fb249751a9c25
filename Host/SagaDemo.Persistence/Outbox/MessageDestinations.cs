using SagaDemo.Contracts;

namespace SagaDemo.Persistence.Outbox;

/// <summary>Maps a message type to the outbox destination: the Kafka topic that carries it.</summary>
public static class MessageDestinations
{
    static readonly Dictionary<Type, string> TopicByType = Topics.All
        .SelectMany(topic => topic.MessageTypes.Select(type => (type, topic.Name)))
        .ToDictionary(x => x.type, x => x.Name);

    /// <summary>The topic of a contract message; other types keep their full name, which the sink must know.</summary>
    public static string TopicOf(Type messageType) =>
        TopicByType.TryGetValue(messageType, out var topic) ? topic : messageType.FullName ?? messageType.Name;

    /// <summary>What the outbox stores as message type: resolvable with <see cref="Type.GetType(string)"/>.</summary>
    public static string TypeName(Type messageType) => $"{messageType.FullName}, {messageType.Assembly.GetName().Name}";
}
