using System.Collections.Concurrent;
using System.Reflection;

namespace SagaDemo.Kafka.Topology;

/// <summary>
/// The correlation id a contract message carries by convention: its first <see cref="Guid"/> property named in
/// <see cref="Properties"/> (an order is its own operation, so <c>OrderId</c> serves as the operation id). Records are
/// keyed by it (<see cref="Producing.MessageKeySelector"/>) and consumes are logged and traced under it.
/// </summary>
public static class CorrelationConvention
{
    public static readonly IReadOnlyList<string> Properties = ["OperationId", "OrderId", "CorrelationId"];

    static readonly ConcurrentDictionary<Type, Func<object, Guid>?> Accessors = new();

    /// <summary>Reads the id from a message of <paramref name="type"/>; null when the type carries none.</summary>
    public static Func<object, Guid>? AccessorOf(Type type) => Accessors.GetOrAdd(type, Find);

    static Func<object, Guid>? Find(Type type)
    {
        foreach (var name in Properties)
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property?.PropertyType == typeof(Guid))
                return m => (Guid)property.GetValue(m)!;
        }
        return null;
    }
}
