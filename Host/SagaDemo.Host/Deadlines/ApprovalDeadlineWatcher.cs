using MassTransit;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Users;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Host.Deadlines;

/// <summary>
/// Fires approval timeouts. MassTransit's schedules need a scheduler the Kafka transport does not
/// have, so the deadline is kept on the saga instance and this watcher polls for passed ones and
/// publishes <see cref="UserApprovalTimedOut"/>; the saga ignores one that arrives twice or late.
/// </summary>
public sealed class ApprovalDeadlineWatcher(
    IApprovalDeadlineSource deadlines,
    IBus bus,
    TimeProvider clock,
    IOptions<UserRegistrationOptions> options,
    ILogger<ApprovalDeadlineWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DeadlineCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FireDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again; a deadline fires late rather than never.
                logger.LogWarning(e, "Checking approval deadlines failed");
            }
        }
    }

    /// <summary>Publishes a timeout for every instance awaiting approval past its deadline; returns how many.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await deadlines.FindDueAsync(now, cancellationToken);
        var count = 0;
        foreach (var operationId in due)
        {
            await bus.Publish(new UserApprovalTimedOut(operationId), cancellationToken);
            count++;
        }
        if (count > 0)
            logger.LogInformation("Approval deadline passed for {Count} operation(s)", count);
        return count;
    }
}
