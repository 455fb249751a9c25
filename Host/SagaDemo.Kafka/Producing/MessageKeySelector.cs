using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// The record key of a message: its correlation id, so every record of one operation or order lands in one
/// partition, in order. Explicit selectors win; otherwise the first Guid property named in
/// <see cref="ConventionalKeyProperties"/>; otherwise MassTransit's CorrelationId of the send; otherwise no key.
/// </summary>
public sealed class MessageKeySelector
{
    public static readonly IReadOnlyList<string> ConventionalKeyProperties = ["OperationId", "OrderId", "CorrelationId"];

    readonly ConcurrentDictionary<Type, Func<object, Guid?>?> _byType = new();

    public MessageKeySelector(IEnumerable<KeyValuePair<Type, Func<object, Guid?>>>? explicitSelectors = null)
    {
        foreach (var (type, selector) in explicitSelectors ?? [])
            _byType[type] = selector;
    }

    public string? KeyOf(object message, SendContext? context)
    {
        var selector = _byType.GetOrAdd(message.GetType(), Conventional);
        var key = selector?.Invoke(message) ?? context?.CorrelationId;
        return key?.ToString("D");
    }

    static Func<object, Guid?>? Conventional(Type type)
    {
        foreach (var name in ConventionalKeyProperties)
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property?.PropertyType == typeof(Guid))
                return m => (Guid)property.GetValue(m)!;
        }
        return null;
    }
}
