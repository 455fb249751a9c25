using System.Diagnostics.Metrics;
using SagaDemo.Telemetry.Metrics;

namespace SagaDemo.Telemetry.Tests.Exporter;

public sealed class NamingAndEscapingTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", MetricKind.Histogram, "http_server_request_duration_seconds")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", MetricKind.Counter, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("kestrel.active_connections", "{connection}", MetricKind.Gauge, "kestrel_active_connections")]
    [InlineData("messaging.masstransit.consume", "ea", MetricKind.Counter, "messaging_masstransit_consume_total")]
    [InlineData("disk.io", "By/s", MetricKind.Gauge, "disk_io_bytes_per_second")]
    [InlineData("requests", "{request}/s", MetricKind.Gauge, "requests")]
    [InlineData("api.requests", "{request}/s", MetricKind.Gauge, "api_requests_per_second")]
    [InlineData("weird-name..with spaces", null, MetricKind.Gauge, "weird_name_with_spaces")]
    [InlineData("9lives", null, MetricKind.Gauge, "_9lives")]
    [InlineData("dotnet.timer.count", "{timer}", MetricKind.Gauge, "dotnet_timer_count_current")]
    [InlineData("queue.wait", "ms", MetricKind.Histogram, "queue_wait_seconds")]
    [InlineData("payload.size_bytes", "By", MetricKind.Gauge, "payload_size_bytes")]
    [InlineData("jobs.done_total", null, MetricKind.Counter, "jobs_done_total")]
    // Already a Prometheus name: kept verbatim (kafka_exporter compatibility), counters still get _total.
    [InlineData("kafka_consumergroup_lag", "{record}", MetricKind.Gauge, "kafka_consumergroup_lag")]
    [InlineData("kafka_topic_partition_current_offset", null, MetricKind.Gauge, "kafka_topic_partition_current_offset")]
    [InlineData("records_consumed", "{record}", MetricKind.Counter, "records_consumed_total")]
    public void Metric_names_follow_the_OpenTelemetry_to_Prometheus_rules(string name, string? unit, MetricKind kind, string expected) =>
        Assert.Equal(expected, PrometheusNaming.MetricName(name, unit, kind));

    [Theory]
    [InlineData("http.route", "http_route")]
    [InlineData("messaging.kafka.partition", "messaging_kafka_partition")]
    [InlineData("__reserved", "_reserved")]
    [InlineData("a:b", "a_b")]
    [InlineData("1st", "_1st")]
    public void Label_names_are_sanitised(string tag, string expected) =>
        Assert.Equal(expected, PrometheusNaming.SanitizeLabelName(tag));

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_help_escapes_backslash_and_newline()
    {
        using var m = new PrivateMeter();
        m.Meter.CreateCounter<int>("escaped", null, "line one\nback\\slash \"quoted\"")
            .Add(1, new KeyValuePair<string, object?>("path", "C:\\dir \"x\"\nnext"));

        Assert.Equal(
            "# HELP escaped_total line one\\nback\\\\slash \"quoted\"\n" +
            "# TYPE escaped_total counter\n" +
            "escaped_total{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1\n", m.Scrape());
    }

    [Fact]
    public void Tags_in_any_order_are_one_series_with_sorted_labels_and_typed_values()
    {
        using var m = new PrivateMeter();
        var counter = m.Meter.CreateCounter<int>("hits");
        counter.Add(1, new("b.tag", 2), new("a", true));
        counter.Add(1, new("a", true), new("b.tag", 2));
        counter.Add(1, new("a", null), new("b.tag", 1.5));

        Assert.Equal(["hits_total{a=\"\",b_tag=\"1.5\"} 1", "hits_total{a=\"true\",b_tag=\"2\"} 2"], m.Samples());
    }

    [Fact]
    public void Tags_that_sanitise_to_the_same_label_are_joined()
    {
        using var m = new PrivateMeter();
        m.Meter.CreateCounter<int>("joined").Add(1, new("x.y", "1"), new("x_y", "2"));

        Assert.Equal(["joined_total{x_y=\"1;2\"} 1"], m.Samples());
    }

    [Fact]
    public void ExportAs_gives_an_instrument_an_exact_name()
    {
        using var m = new PrivateMeter(o => o.ExportAs("sagademo.kafka.consumer.lag", "kafka_consumergroup_lag"));
        m.Meter.CreateObservableGauge("sagademo.kafka.consumer.lag", () => new Measurement<long>(42,
            new("consumergroup", "user-approval-service"), new("topic", "user-approve"), new("partition", 3)), "{record}");

        Assert.Equal(["kafka_consumergroup_lag{consumergroup=\"user-approval-service\",partition=\"3\",topic=\"user-approve\"} 42"], m.Samples());
    }

    [Fact]
    public void Name_mapper_hook_can_rename_by_meter_and_instrument()
    {
        using var m = new PrivateMeter(o => o.NameMapper = i => i.Name == "offsets" ? "kafka_topic_partition_current_offset" : null);
        m.Meter.CreateGauge<long>("offsets").Record(9, new KeyValuePair<string, object?>("topic", "order"));
        m.Meter.CreateGauge<long>("other").Record(1);

        Assert.Equal(["kafka_topic_partition_current_offset{topic=\"order\"} 9", "other 1"], m.Samples());
    }

    [Fact]
    public void ExportAs_rejects_an_invalid_prometheus_name() =>
        Assert.Throws<ArgumentException>(() => new PrometheusExporterOptions().ExportAs("x", "not.valid"));

    [Fact]
    public void Counters_declared_for_values_that_go_down_can_be_exported_as_gauges()
    {
        using var m = new PrivateMeter(o => o.GaugeInstruments.Add("jobs.running"));
        var running = m.Meter.CreateCounter<long>("jobs.running", "ea");
        running.Add(3);
        running.Add(-1);

        Assert.Contains("# TYPE jobs_running gauge\n", m.Scrape());
        Assert.Equal(["jobs_running 2"], m.Samples());
    }

    [Theory]
    [InlineData("SagaDemo.*", "SagaDemo.Kafka", true)]
    [InlineData("SagaDemo.*", "SagaDemo", true)]
    [InlineData("SagaDemo.*", "SagaDemoX", false)]
    [InlineData("MassTransit", "MassTransit", true)]
    [InlineData("MassTransit", "MassTransit.Other", false)]
    [InlineData("System.*", "System.Runtime", true)]
    public void Meter_selection_matches_exact_names_and_prefixes(string pattern, string meter, bool expected) =>
        Assert.Equal(expected, new MeterSelection([pattern]).Matches(meter));

    [Fact]
    public void Special_values_use_prometheus_spelling()
    {
        Assert.Equal("+Inf", PrometheusTextWriter.FormatNumber(double.PositiveInfinity));
        Assert.Equal("-Inf", PrometheusTextWriter.FormatNumber(double.NegativeInfinity));
        Assert.Equal("NaN", PrometheusTextWriter.FormatNumber(double.NaN));
        Assert.Equal("1E+21", PrometheusTextWriter.FormatNumber(1e21));
        Assert.Equal("0.1", PrometheusTextWriter.FormatNumber(0.1));
    }
}
