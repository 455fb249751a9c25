using SagaDemo.Telemetry.Tests.Support;
using Xunit.Abstractions;

namespace SagaDemo.Telemetry.Tests.Integration;

/// <summary>A real Prometheus scrapes the app's /metrics; its query API shows our series.</summary>
[Collection(AppsCollection.Name)]
public sealed class PrometheusScrapeTests(ScrapedAppFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Target_is_up()
    {
        var result = await fixture.Prometheus.Api.WaitForDataAsync("up{job=\"sagademo\"} == 1", Patience);
        Assert.True(result.SeriesCount == 1, $"target not up: {result.Data}\n{fixture.Prometheus.Log}");
    }

    [Theory]
    [InlineData("sagademo_operations_created_total{type=\"user-create\",status=\"pending\"}")]
    [InlineData("sagademo_operation_duration_seconds_bucket{le=\"+Inf\"}")]
    [InlineData("sagademo_saga_instances{saga=\"UserRegistration\",state=\"Completed\"}")]
    [InlineData("sagademo_host_role{role=\"users\"}")]
    [InlineData("http_server_request_duration_seconds_count{http_response_status_code=\"500\"}")]
    [InlineData("http_server_request_duration_seconds_count{http_route=\"/hello\"}")]
    [InlineData("kestrel_active_connections")]
    [InlineData("dotnet_process_memory_working_set_bytes")]
    [InlineData("dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("messaging_masstransit_consume_total")]
    [InlineData("messaging_masstransit_consume_errors_total{messaging_masstransit_exception_type=\"InvalidOperationException\"}")]
    public async Task Prometheus_has_our_series(string selector)
    {
        var result = await fixture.Prometheus.Api.WaitForDataAsync(selector, Patience);
        Assert.True(result.SeriesCount > 0, $"no series for {selector}: {result.Status} {result.Error}");
    }

    [Fact]
    public async Task Counters_increase_between_scrapes()
    {
        var result = await fixture.Prometheus.Api.WaitForDataAsync("sum(rate(sagademo_operations_created_total[10s])) > 0", Patience);
        Assert.Equal(1, result.SeriesCount);
    }

    [Fact]
    public async Task Every_dashboard_query_is_valid_and_those_over_exported_metrics_return_data()
    {
        var exposition = await fixture.App.Http.GetStringAsync("metrics");
        var outcomes = await DashboardQueryCheck.RunAsync(fixture.Prometheus.Api, DashboardQueryCheck.SampleNames(exposition), TimeSpan.FromSeconds(15));
        foreach (var outcome in outcomes)
            output.WriteLine((outcome.Ok ? "ok   " : "FAIL ") + outcome);

        Assert.All(outcomes, o => Assert.True(o.Ok, o.ToString()));
        // The small app exports everything except the Kafka rider's metrics: most views are checked for data.
        Assert.True(outcomes.Count(o => o.ExpectsData) >= 14, $"only {outcomes.Count(o => o.ExpectsData)} queries had their metrics exported");
    }
}
