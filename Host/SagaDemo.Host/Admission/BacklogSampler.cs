using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Host.Admission;

/// <summary>
/// Measures the backlog admission control decides on, every <see cref="AdmissionOptions.SampleInterval"/>: pending
/// operations per owner and operations finished lately from the operations store (so every api replica sees the
/// same numbers with PostgreSQL), and the deepest consumer lag this process's librdkafka statistics report.
/// </summary>
public sealed class BacklogSampler(
    OperationAdmission admission,
    AdmissionMetrics metrics,
    IPendingOperationCounter store,
    IOptions<AdmissionOptions> options,
    ILogger<BacklogSampler> logger,
    IKafkaLagMonitor? lag = null) : BackgroundService
{
    /// <summary>The completion rate is the finishes of this window: long enough to smooth, short enough to follow a drain.</summary>
    public static readonly TimeSpan FinishedWindow = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        using var timer = new PeriodicTimer(options.Value.SampleInterval);
        do
        {
            try
            {
                var mark = admission.BeginMeasurement();
                var backlog = await MeasureAsync(stoppingToken);
                admission.Measured(backlog, mark);
                metrics.Measured(backlog, AdmissionPolicy.Bound(options.Value, backlog.Pending.FinishedPerSecond));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store away (PostgreSQL restarting): keep the last measurement; creates fail on the store anyway.
                logger.LogWarning("Backlog not measured: {Reason}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    async Task<Backlog> MeasureAsync(CancellationToken cancellationToken)
    {
        var pending = await store.CountPendingAsync(FinishedWindow, cancellationToken);
        var deepest = lag?.Snapshot().MaxBy(l => l.Lag);
        return new Backlog(pending, deepest?.Lag ?? 0, deepest is null ? null : $"{deepest.Topic} [{deepest.Partition}] ({deepest.Group})");
    }
}
