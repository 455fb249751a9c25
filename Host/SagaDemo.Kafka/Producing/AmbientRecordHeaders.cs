using System.Collections.Immutable;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// Header values for the records produced in the current async flow. For publishes whose headers are known only to
/// the caller: MassTransit runs a Publish call's own callback after the bus's publish filters, so a header set there
/// reaches the in-memory transport but not <see cref="KafkaPublishFilter"/>, which produces first.
/// </summary>
public static class AmbientRecordHeaders
{
    static readonly AsyncLocal<ImmutableDictionary<string, string>?> Current = new();

    /// <summary>Sets <paramref name="name"/> for records produced until the returned scope is disposed.</summary>
    public static IDisposable Set(string name, string value)
    {
        var previous = Current.Value;
        Current.Value = (previous ?? ImmutableDictionary<string, string>.Empty).SetItem(name, value);
        return new Scope(previous);
    }

    public static string? Get(string name) => Current.Value?.GetValueOrDefault(name);

    sealed class Scope(ImmutableDictionary<string, string>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
