using Microsoft.Extensions.Hosting;

namespace SagaDemo.Services.Hosting.Retention;

/// <summary>Runs every <see cref="IRetainedStore"/> of the process every <c>Retention:CheckInterval</c>.</summary>
public sealed class InMemoryRetentionService(
    IEnumerable<IRetainedStore> stores,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<InMemoryRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await PruneOnceAsync(stoppingToken);
    }

    public async Task<int> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var olderThan = clock.GetUtcNow() - options.Value.Period;
        var total = 0;
        foreach (var store in stores)
        {
            var removed = await store.PruneAsync(olderThan, cancellationToken);
            total += removed;
            if (removed > 0)
                logger.LogInformation("Retention removed {Count} finished {Store} older than {OlderThan:o}", removed, store.Name, olderThan);
        }
        return total;
    }
}
