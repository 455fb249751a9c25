using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SagaDemo.Telemetry.Logging;

/// <summary>
/// Ties logs and traces to a SagaDemo operation: <c>using var _ = logger.BeginOperationScope(id);</c>
/// adds "OperationId" to every log line written inside (JSON console logs include scopes), and tags
/// the current Activity with "operation.id" and baggage of the same name, so the trace backend can
/// search spans by operation and the id travels with propagated context.
/// </summary>
public static class OperationLogScope
{
    public const string ActivityTag = "operation.id";
    public const string LogProperty = "OperationId";

    public static IDisposable? BeginOperationScope(this ILogger logger, Guid operationId)
    {
        var id = operationId.ToString();
        if (Activity.Current is { } activity)
        {
            activity.SetTag(ActivityTag, id);
            // Baggage stays on the Activity after the scope ends: an Activity is one request or
            // one message, which belongs to one operation.
            activity.SetBaggage(ActivityTag, id);
        }
        return logger.BeginScope(new Scope(id));
    }

    /// <summary>
    /// The scope's one property. Built on every consume, so one small object instead of a dictionary (a dictionary
    /// with its buckets and entries was one of the larger allocations per Kafka record); log providers read scopes as
    /// a list of key/value pairs either way.
    /// </summary>
    sealed class Scope(string operationId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] => index == 0
            ? new KeyValuePair<string, object?>(LogProperty, operationId)
            : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{LogProperty}:{operationId}";
    }
}
