using System.Collections.Concurrent;
using MassTransit;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// The record key of a message: its correlation id, so every record of one operation or order lands in one
/// partition, in order. Explicit selectors win; otherwise by <see cref="CorrelationConvention"/>; otherwise
/// MassTransit's CorrelationId of the send; otherwise no key.
/// </summary>
public sealed class MessageKeySelector
{
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

    static Func<object, Guid?>? Conventional(Type type) =>
        CorrelationConvention.AccessorOf(type) is { } accessor ? m => accessor(m) : null;
}
