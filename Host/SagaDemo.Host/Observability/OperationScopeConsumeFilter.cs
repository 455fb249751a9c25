using System.Diagnostics;
using MassTransit;
using SagaDemo.Kafka.Topology;
using SagaDemo.Telemetry.Logging;

namespace SagaDemo.Host.Observability;

/// <summary>
/// Every consume runs inside the operation's log scope: each log line a consumer or saga writes carries
/// "OperationId" (next to the TraceId of the consume activity), and the consume span gets the
/// <c>operation.id</c> tag, so one operation can be followed through logs and traces without the services
/// doing it themselves. The id is the message's correlation id by the same convention its record is keyed by
/// (<see cref="CorrelationConvention"/>: <c>OperationId</c>, or <c>OrderId</c>, since an order is its operation). Also logs each consume at Debug with its duration.
/// </summary>
public sealed class OperationScopeConsumeFilter<T>(ILogger<OperationScopeConsumeFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    static readonly Func<object, Guid>? OperationIdOf = CorrelationConvention.AccessorOf(typeof(T));

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (OperationIdOf is null)
        {
            await next.Send(context);
            return;
        }

        using var scope = logger.BeginOperationScope(OperationIdOf(context.Message));
        var started = Stopwatch.GetTimestamp();
        await next.Send(context);
        // Checked first: LogDebug's arguments (an array, the boxed duration) would be built on every consume even with Debug off.
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Consumed {MessageType} in {ElapsedMs:F1} ms", typeof(T).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("operationScope");
}
