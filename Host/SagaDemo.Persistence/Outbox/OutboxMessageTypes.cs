using SagaDemo.Contracts;

namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// The only types an outbox row may name: the messages of the contract. A type name read from the database is looked
/// up here and never handed to <see cref="Type.GetType(string)"/>, so whoever can write a row cannot have the relay
/// load and construct an arbitrary type.
/// </summary>
public static class OutboxMessageTypes
{
    static readonly Dictionary<string, Type> ByStoredName = Topics.All.SelectMany(t => t.MessageTypes)
        .ToDictionary(MessageDestinations.TypeName, StringComparer.Ordinal);

    /// <summary>The contract type stored as <paramref name="storedName"/>; null for any other name.</summary>
    public static Type? Resolve(string storedName) => ByStoredName.GetValueOrDefault(storedName);
}
