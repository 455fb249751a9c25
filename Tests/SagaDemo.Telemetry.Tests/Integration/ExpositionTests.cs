using SagaDemo.Telemetry.Metrics;
using SagaDemo.Telemetry.Tests.Support;

namespace SagaDemo.Telemetry.Tests.Integration;

/// <summary>The /metrics output of a real app with traffic, checked by promtool.</summary>
[Collection(AppsCollection.Name)]
public sealed class ExpositionTests
{
    [Fact]
    public async Task Metrics_endpoint_output_passes_promtool_check_metrics()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        for (var round = 0; round < 8; round++)
            await app.GenerateTrafficAsync(round);
        var text = await app.WaitForMetricsAsync(t => t.Contains("messaging_masstransit_consume_errors_total"), TimeSpan.FromSeconds(10));

        // Every source the setup promises is present, so promtool sees them all.
        foreach (var family in new[]
                 {
                     "dotnet_gc_heap_total_allocated_bytes_total", "http_server_request_duration_seconds",
                     "kestrel_active_connections", "messaging_masstransit_consume_total",
                     "messaging_masstransit_consume_active", "sagademo_operations_created_total",
                     "sagademo_operation_duration_seconds", "sagademo_saga_instances", "sagademo_host_role",
                 })
            Assert.Contains($"# TYPE {family} ", text);

        var (exitCode, lint) = await ExternalTool.RunAsync("promtool", "check metrics", text, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{lint}");
    }

    [Fact]
    public async Task Metrics_endpoint_answers_with_the_prometheus_text_content_type()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var response = await app.Http.GetAsync("metrics");

        response.EnsureSuccessStatusCode();
        Assert.Equal(PrometheusTextWriter.ContentType, response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Output_is_stable_between_scrapes_when_nothing_changes()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        await app.GenerateTrafficAsync(1);
        var collector = app.Services.GetService(typeof(PrometheusMetricsCollector)) as PrometheusMetricsCollector;

        // Only our own families: runtime and HTTP ones move on their own.
        static string Ours(string text) => string.Join('\n', text.Split('\n').Where(l => l.Contains("sagademo_")));
        Assert.Equal(Ours(collector!.Scrape()), Ours(collector.Scrape()));
    }
}
