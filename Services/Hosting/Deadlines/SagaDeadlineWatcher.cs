using Microsoft.Extensions.Hosting;
using MassTransit;

namespace SagaDemo.Services.Hosting.Deadlines;

/// <summary>
/// Fires a saga's timeouts. MassTransit's schedules need a scheduler the Kafka transport does not have, so
/// deadlines are kept on the saga instances and this watcher polls for passed ones every interval and publishes
/// the timeout event the subclass chooses (on its own topic, so it reaches whichever replica owns the instance).
/// The saga ignores a timeout that arrives twice, late, or before its current deadline.
/// </summary>
/// <remarks>
/// An instance still due after its timeout was published (the event waits in the backlog, or the saga refused
/// it as early because clocks differ) is published again only after <see cref="RefireAfter"/>, so a backlog of
/// due instances does not add one more event per instance on every check. What it remembers is pruned on every
/// check, so it holds at most the instances fired within that time.
/// </remarks>
public abstract class SagaDeadlineWatcher<TSaga>(
    ISagaDeadlineSource<TSaga> deadlines,
    IBus bus,
    TimeProvider clock,
    TimeSpan interval,
    ILogger logger) : BackgroundService
    where TSaga : class
{
    public static readonly TimeSpan RefireAfter = TimeSpan.FromSeconds(30);

    readonly Dictionary<Guid, DateTimeOffset> _fired = [];

    /// <summary>The timeout event for <paramref name="due"/>, or null to leave it waiting for now.</summary>
    protected abstract object? TimeoutFor(DueSaga due, DateTimeOffset now);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FireDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again; a deadline fires late rather than never.
                logger.LogWarning(e, "Checking {Saga} deadlines failed", typeof(TSaga).Name);
            }
        }
    }

    /// <summary>Publishes a timeout for every due instance the subclass wants fired; returns how many.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var stale in _fired.Where(f => now - f.Value >= RefireAfter).Select(f => f.Key).ToList())
            _fired.Remove(stale);

        var count = 0;
        foreach (var due in await deadlines.FindDueAsync(now, cancellationToken))
        {
            if (_fired.ContainsKey(due.CorrelationId) || TimeoutFor(due, now) is not { } timeout)
                continue;
            await bus.Publish(timeout, cancellationToken);
            _fired[due.CorrelationId] = now;
            count++;
        }
        if (count > 0)
            logger.LogInformation("{Saga} deadline passed for {Count} instance(s)", typeof(TSaga).Name, count);
        return count;
    }
}
