using System.Text.Json;
using SagaDemo.Telemetry.Tests.Support;

namespace SagaDemo.Telemetry.Tests.Dashboards;

public sealed class DashboardJsonTests
{
    public static TheoryData<string> DashboardFiles() => new(DashboardQueries.Files().Select(Path.GetFileName)!);

    [Fact]
    public void There_are_dashboards_to_provision() => Assert.NotEmpty(DashboardQueries.Files());

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Dashboard_is_provisionable_and_every_panel_queries_the_templated_prometheus(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Dashboards, file)));
        var root = doc.RootElement;

        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("uid").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);
        var datasourceVariable = Assert.Single(root.GetProperty("templating").GetProperty("list").EnumerateArray(),
            v => v.GetProperty("name").GetString() == "datasource");
        Assert.Equal("datasource", datasourceVariable.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasourceVariable.GetProperty("query").GetString());

        var panels = DashboardQueries.Panels(root);
        Assert.NotEmpty(panels);
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has no targets");
            foreach (var target in targets)
            {
                Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
                var expr = target.GetProperty("expr").GetString();
                Assert.False(string.IsNullOrWhiteSpace(expr), $"panel '{title}' has an empty query");
                Assert.DoesNotContain("instance=", expr); // no hard-coded instance
            }
        }
    }

    [Fact]
    public void Expected_views_are_present()
    {
        var exprs = DashboardQueries.All().Select(q => q.Expr).ToList();
        string[] required =
        [
            "sum(rate(kafka_topic_partition_current_offset[1m]))",
            "kafka_consumergroup_lag",
            "sagademo_kafka_records_consumed_total",
            "sagademo_kafka_dead_letters_total",
            "sagademo_operations_completed_total",
            "histogram_quantile(0.99, sum by (le) (rate(sagademo_operation_duration_seconds_bucket[1m])))",
            "sagademo_saga_instances",
            "sagademo_host_role",
            "http_server_request_duration_seconds_count",
            "messaging_masstransit_consume_total",
            "messaging_masstransit_consume_errors_total",
        ];
        foreach (var fragment in required)
            Assert.True(exprs.Any(e => e.Contains(fragment, StringComparison.Ordinal)), $"no dashboard query uses {fragment}");
    }

    [Theory]
    [InlineData("sum by (type) (rate(sagademo_operations_created_total[1m]))", new[] { "sagademo_operations_created_total" })]
    [InlineData("histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{a=\"b\"}[1m])))", new[] { "http_server_request_duration_seconds_bucket" })]
    [InlineData("sum(x_total{s=~\"5..\"}) / sum(rate(y_total[5m])) / 1e9", new[] { "x_total", "y_total" })]
    public void Metric_names_are_extracted_from_promql(string expr, string[] expected) =>
        Assert.Equal(expected, DashboardQueries.MetricNames(expr));
}
