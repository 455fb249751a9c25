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
        return logger.BeginScope(new Dictionary<string, object?> { [LogProperty] = id });
    }
}
