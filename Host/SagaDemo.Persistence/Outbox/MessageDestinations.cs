namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// The host's message-type-to-topic map as the outbox reads it: the destination of a message type, and the only types
/// an outbox row may name. A type name read from the database is looked up here and never handed to
/// <see cref="Type.GetType(string)"/>, so whoever can write a row cannot have the relay load and construct an arbitrary type.
/// </summary>
public sealed class MessageDestinations
{
    readonly IReadOnlyDictionary<Type, string> _topicByType;
    readonly Dictionary<string, Type> _byStoredName;

    public MessageDestinations(IReadOnlyDictionary<Type, string> topicByType)
    {
        _topicByType = topicByType;
        _byStoredName = topicByType.Keys.ToDictionary(TypeName, StringComparer.Ordinal);
    }

    /// <summary>The topic of a contract message; other types keep their full name, which the sink must know.</summary>
    public string TopicOf(Type messageType) =>
        _topicByType.TryGetValue(messageType, out var topic) ? topic : messageType.FullName ?? messageType.Name;

    /// <summary>The contract type stored as <paramref name="storedName"/>; null for any other name.</summary>
    public Type? Resolve(string storedName) => _byStoredName.GetValueOrDefault(storedName);

    /// <summary>What the outbox stores as message type: resolvable with <see cref="Type.GetType(string)"/>.</summary>
    public static string TypeName(Type messageType) => $"{messageType.FullName}, {messageType.Assembly.GetName().Name}";
}
