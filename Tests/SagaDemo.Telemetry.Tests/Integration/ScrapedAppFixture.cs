using SagaDemo.Telemetry.Tests.Support;

namespace SagaDemo.Telemetry.Tests.Integration;

/// <summary>
/// The test app under steady traffic (so rates and quantiles have data) and a real Prometheus
/// scraping it every second. Everything started here is stopped in DisposeAsync, also when start
/// fails half-way.
/// </summary>
public sealed class ScrapedAppFixture : IAsyncLifetime
{
    private readonly CancellationTokenSource _stopTraffic = new();
    private Task _traffic = Task.CompletedTask;

    public TelemetryTestApp App { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TelemetryTestApp.StartAsync();
        // One full round first, consumed by MassTransit, so every family exists before Prometheus looks.
        await App.GenerateTrafficAsync(0);
        await App.WaitForMetricsAsync(text => text.Contains("messaging_masstransit_consume_errors_total"), TimeSpan.FromSeconds(10));
        _traffic = Task.Run(async () =>
        {
            for (var round = 1; !_stopTraffic.IsCancellationRequested; round++)
            {
                await App.GenerateTrafficAsync(round);
                await Task.Delay(50);
            }
        });
        Prometheus = await PrometheusServer.StartAsync([App.Target], TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        await _stopTraffic.CancelAsync();
        try { await _traffic; } catch (Exception) { /* the app may be the thing that failed */ }
        Prometheus?.Dispose();
        if (App is not null)
            await App.DisposeAsync();
    }
}
