using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using SagaDemo.Telemetry.Metrics;
using SagaDemo.Telemetry.Tests.Integration;
using SagaDemo.Telemetry.Tests.Support;
using SagaDemo.Telemetry.Tests.WholeHost;
using Xunit.Abstractions;

namespace SagaDemo.Telemetry.Tests.Exporter;

/// <summary>
/// Why /metrics has its own exporter: the whole host under a little load exposes the same meters three ways, ours,
/// prometheus-net 8.2.1's MeterAdapter and the OpenTelemetry Prometheus exporter 1.20.1-beta.1, and each output is
/// held against every series the dashboards read. Ours must serve them all; the day an alternative serves them all
/// too, this test fails and says so, and the own exporter can go (README, Observability).
/// </summary>
[Collection(AppsCollection.Name)]
public sealed class ExporterAlternativesTests(ITestOutputHelper output)
{
    const string OtelPath = "/metrics-otel";

    [Fact]
    public async Task Only_the_own_exporter_serves_every_series_the_dashboards_read()
    {
        // prometheus-net's MeterAdapter, into a registry of its own (the default one also carries its process metrics).
        var prometheusNet = Prometheus.Metrics.NewCustomRegistry();
        using var adapter = Prometheus.MeterAdapter.StartListening(new Prometheus.MeterAdapterOptions
        {
            Registry = prometheusNet,
            MetricFactory = Prometheus.Metrics.WithCustomRegistry(prometheusNet),
        });
        await using var factory = new WholeHostFactory(services: services =>
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter([.. PrometheusExporterOptions.DefaultMeters, "SagaDemo"])
                .AddPrometheusExporter());
            services.AddSingleton<IStartupFilter>(new OtelScrapingEndpoint());
        });
        using var http = factory.Client(factory.Start());
        for (var i = 0; i < 3; i++)
            await WholeHostFactory.RunOperationAsync(http, "operations/user-create", $$"""{"name":"compare-{{i}}"}""", TimeSpan.FromSeconds(30));
        await WholeHostFactory.RunOperationAsync(http, "operations/user-create", """{"name":"admin"}""", TimeSpan.FromSeconds(30));
        await WholeHostFactory.RunOperationAsync(http, "operations/order-create", """{"customerId":"c-1","items":[{"sku":"book","quantity":1}]}""", TimeSpan.FromSeconds(30));
        await ProducePoisonAsync(factory);
        // Kafka statistics (lag, offsets) arrive every second; dead letters once the poison record is handled.
        await WholeHostFactory.EventuallyAsync(async () =>
        {
            var text = await http.GetStringAsync("metrics");
            return (text.Contains("kafka_consumergroup_lag{") && text.Contains("sagademo_kafka_dead_letters_total{"), "");
        }, TimeSpan.FromSeconds(20), "Kafka statistics and a dead letter in /metrics");

        var ours = new Exposition(await http.GetStringAsync("metrics"));
        var otel = new Exposition(await http.GetStringAsync(OtelPath.TrimStart('/')));
        using var buffer = new MemoryStream();
        await prometheusNet.CollectAndExportAsTextAsync(buffer);
        var promNet = new Exposition(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));

        var read = DashboardQueries.All().SelectMany(q => DashboardQueries.MetricNames(q.Expr))
            .Where(n => n != "up").Distinct().Order(StringComparer.Ordinal).ToList();
        string Describe(Exposition e, string name) => e.Has(name)
            ? $"yes ({e.TypeOf(name)})"
            : "no" + (e.NamesLike(name).Take(3).ToList() is { Count: > 0 } like ? $" (has {string.Join(", ", like.Select(l => $"{l} ({e.TypeOf(l)})"))})" : "");
        output.WriteLine("| series a dashboard reads | own exporter | prometheus-net MeterAdapter | OTel Prometheus exporter |");
        foreach (var name in read)
            output.WriteLine($"| `{name}` | {Describe(ours, name)} | {Describe(promNet, name)} | {Describe(otel, name)} |");

        Assert.True(read.Count >= 15, $"only {read.Count} series names found in the dashboards");
        Assert.All(read, name => Assert.True(ours.Has(name), $"the own exporter lacks {name}"));
        Assert.True(read.Any(n => !promNet.Has(n)), "prometheus-net now serves every series the dashboards read: reconsider the own exporter");
        Assert.True(read.Any(n => !otel.Has(n)), "the OpenTelemetry Prometheus exporter now serves every series the dashboards read: reconsider the own exporter");
    }

    /// <summary>An unreadable record, so the dead-letter counter has a series.</summary>
    static async Task ProducePoisonAsync(WholeHostFactory factory)
    {
        var (exitCode, log) = await ExternalTool.RunAsync("kcat", $"-P -b {factory.Kafka.BootstrapServers} -t user-create -k poison",
            "{not json\n", TimeSpan.FromSeconds(20));
        Assert.True(exitCode == 0, $"kcat failed ({exitCode}): {log}");
    }

    /// <summary>Serves the OpenTelemetry exporter's output beside ours.</summary>
    sealed class OtelScrapingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(OtelPath);
            next(app);
        };
    }
}
