using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SagaDemo.Services.Hosting.Retention;

namespace SagaDemo.Persistence.Retention;

/// <summary>Prunes the finished-work bookkeeping of this process's schemas every <c>Retention:CheckInterval</c>.</summary>
public sealed class RetentionService(
    NpgsqlDataSource dataSource,
    IReadOnlyList<PrunableTable> tables,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(o.CheckInterval, clock);
        do
        {
            try
            {
                await PruneOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Old rows wait for the next run; nothing depends on them being gone now.
                logger.LogWarning(e, "Retention pruning failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Prunes every table once; returns the rows removed per table.</summary>
    public async Task<IReadOnlyDictionary<string, long>> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var olderThan = clock.GetUtcNow() - o.Period;
        var removed = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            var count = await TablePruner.PruneAsync(dataSource, table, olderThan, o.BatchSize, o.PauseBetweenBatches, cancellationToken);
            removed[table.QualifiedName] = count;
            if (count > 0)
                logger.LogInformation("Retention removed {Count} row(s) from {Table} older than {OlderThan:o}", count, table.QualifiedName, olderThan);
        }
        return removed;
    }
}
