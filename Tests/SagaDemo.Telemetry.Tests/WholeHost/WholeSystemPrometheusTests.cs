using System.Net;
using SagaDemo.Telemetry.Health;
using SagaDemo.Telemetry.Tests.Integration;
using SagaDemo.Telemetry.Tests.Support;
using Xunit.Abstractions;

namespace SagaDemo.Telemetry.Tests.WholeHost;

/// <summary>
/// A real Prometheus scrapes the whole host (every role, embedded Kafka) under a little load with failures and
/// poison records: every PromQL expression of every dashboard returns data, and promtool accepts /metrics.
/// </summary>
[Collection(AppsCollection.Name)]
public sealed class WholeSystemPrometheusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_dashboard_query_returns_data_from_the_whole_host_under_load_and_promtool_accepts_its_metrics()
    {
        await using var factory = new WholeHostFactory();
        var baseAddress = factory.Start();
        using var http = factory.Client(baseAddress);
        using var prometheus = await PrometheusServer.StartAsync([$"{baseAddress.Host}:{baseAddress.Port}"], TimeSpan.FromSeconds(15));
        await WholeHostFactory.EventuallyAsync(async () =>
        {
            using var ready = await http.GetAsync(SagaDemoHealth.ReadyPath.TrimStart('/'));
            return (ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }, TimeSpan.FromSeconds(30), "host ready");

        using var stopLoad = new CancellationTokenSource();
        var load = Task.Run(() => RunLoadAsync(http, stopLoad.Token));
        try
        {
            var servers = factory.Kafka.BootstrapServers;
            // Not JSON: unreadable, dead-lettered by the rider before MassTransit sees it.
            await ProduceWithKcatAsync(servers, "user-create", "poison-1", "{not json");
            // Well-formed, but answers an approval nobody asked for: the user saga has no such instance and faults.
            // Keyed by its own operationId, as the wire contract wants: otherwise the rider refuses it before the saga.
            var stray = Guid.NewGuid();
            await ProduceWithKcatAsync(servers, "user-approve-response", stray.ToString(),
                $$"""{"operationId":"{{stray}}","userId":"{{Guid.NewGuid()}}","approved":true,"reason":null}""");

            var exposition = await WaitForMetricsAsync(http, TimeSpan.FromSeconds(20),
                "sagademo_kafka_dead_letters_total{", "kafka_consumergroup_lag{", "kafka_topic_partition_current_offset{",
                "sagademo_kafka_commit_duration_seconds_bucket{", "sagademo_kafka_records_consumed_total{", "sagademo_kafka_records_produced_total{",
                "sagademo_operations_completed_total{", "status=\"failed\"", "sagademo_operation_duration_seconds_bucket{");

            var outcomes = await DashboardQueryCheck.RunAsync(prometheus.Api, DashboardQueryCheck.SampleNames(exposition), TimeSpan.FromSeconds(25));
            foreach (var outcome in outcomes)
                output.WriteLine((outcome.Ok && outcome.ExpectsData ? "ok   " : "FAIL ") + outcome);
            // The whole host exports every metric a dashboard uses, so every expression must return data.
            Assert.All(outcomes, o => Assert.True(o.Ok && o.ExpectsData, o.ToString()));

            var (exitCode, lint) = await ExternalTool.RunAsync("promtool", "check metrics", await http.GetStringAsync("metrics"), TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{lint}");
        }
        finally
        {
            await stopLoad.CancelAsync();
            await load;
        }
    }

    /// <summary>User creates (every third denied) and orders (every third declined: the laptop costs more than the payment limit).</summary>
    static async Task RunLoadAsync(HttpClient http, CancellationToken stop)
    {
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            try
            {
                var name = round % 3 == 2 ? "mallory" : $"user{round}";
                (await http.PostAsync("operations/user-create", WholeHostFactory.Json($$"""{"name":"{{name}}","email":"{{name}}@example.com"}"""), stop)).Dispose();
                var sku = round % 3 == 1 ? "laptop" : "apple";
                (await http.PostAsync("operations/order-create", WholeHostFactory.Json($$"""{"customerId":"c-{{round}}","items":[{"sku":"{{sku}}","quantity":1}]}"""), stop)).Dispose();
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    static async Task ProduceWithKcatAsync(string bootstrapServers, string topic, string key, string value)
    {
        var (exitCode, log) = await ExternalTool.RunAsync("kcat", $"-P -b {bootstrapServers} -t {topic} -k {key}", value + "\n", TimeSpan.FromSeconds(20));
        Assert.True(exitCode == 0, $"kcat failed ({exitCode}): {log}");
    }

    static async Task<string> WaitForMetricsAsync(HttpClient http, TimeSpan timeout, params string[] samples)
    {
        var text = "";
        await WholeHostFactory.EventuallyAsync(async () =>
        {
            text = await http.GetStringAsync("metrics");
            var missing = samples.Where(s => !text.Contains(s, StringComparison.Ordinal)).ToList();
            return (missing.Count == 0, "missing " + string.Join(", ", missing));
        }, timeout, "/metrics has the series the dashboards read");
        return text;
    }
}
