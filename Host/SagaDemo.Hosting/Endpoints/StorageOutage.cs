using System.Data.Common;
using System.Runtime.CompilerServices;
using MassTransit;

namespace SagaDemo.Hosting.Endpoints;

/// <summary>
/// A database that is down, restarting or refusing connections fails every message alike, and none of them is at
/// fault: giving such a message up (dead-lettering it once the endpoint's short retries are spent) would lose work
/// that is fine. Endpoints wait an outage out instead: the message, and its key's lane, stay where they are and are
/// retried until the database answers again. An error the server reported is told by its SQL state class: a lost
/// connection (08), resources such as connections exhausted (53), the server shutting down or starting (57P); not
/// contention (40: serialization failures, deadlocks), which the endpoint's own retry handles. An error without a SQL
/// state (no connection, a timeout) by ADO.NET's own <see cref="DbException.IsTransient"/>. So this layer needs no driver.
/// </summary>
public static class StorageOutage
{
    // About a quarter of an hour of retries, most of them 10 s apart: far longer than a restart or a failover takes.
    const int Attempts = 100;
    static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(10);
    static readonly TimeSpan IntervalStep = TimeSpan.FromMilliseconds(300);

    static readonly string[] OutageStates = ["08", "53", "57P"];

    public static bool Is(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is DbException db && (db.SqlState is { Length: > 0 } state ? OutageStates.Any(o => state.StartsWith(o, StringComparison.Ordinal)) : db.IsTransient))
                return true;
        return false;
    }

    static readonly ConditionalWeakTable<IReceiveEndpointConfigurator, object> Applied = new();

    /// <summary>
    /// Retries outages only, for long. Add it before the endpoint's own retry (which should ignore outages), so it
    /// wraps that retry and everything after it. Added once per endpoint, however often it is asked for: consumer
    /// definitions configure their endpoint once per consumer, and an outage retry between two of their retries would
    /// break MassTransit's hand-over between nested retries (a retry that gave up marks the context so the retries
    /// around it do not start over; a retry that does not handle the exception does not pass the mark on), so every
    /// failing message would be retried the product of their attempts.
    /// </summary>
    public static void UseStorageOutageRetry(this IReceiveEndpointConfigurator endpoint)
    {
        if (!Applied.TryAdd(endpoint, Applied))
            return;
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(Is);
            r.Exponential(Attempts, FirstInterval, LongestInterval, IntervalStep);
        });
    }
}
