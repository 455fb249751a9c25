using Microsoft.Extensions.Hosting;
using SagaDemo.Telemetry.Instruments;
using SagaDemo.Telemetry.Metrics;

namespace SagaDemo.Telemetry;

/// <summary>
/// Resolves the /metrics collector and the host's own instruments when the host starts, so they record
/// from the first message on rather than from the first scrape.
/// </summary>
internal sealed class TelemetryStartup(PrometheusMetricsCollector collector, SagaDemoMetrics metrics, HostRoleMetrics roles)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = (collector, metrics, roles);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
