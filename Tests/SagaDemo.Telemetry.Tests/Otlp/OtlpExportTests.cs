using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SagaDemo.Telemetry.Tests.Integration;
using SagaDemo.Telemetry.Tests.Support;
using SagaDemo.Telemetry.Tests.WholeHost;

namespace SagaDemo.Telemetry.Tests.Otlp;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, the SDK's real OTLP exporter sends traces, metrics and logs over
/// http/protobuf; the receiver decodes them, so these tests check what a collector would get.
/// </summary>
[Collection(AppsCollection.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Spans_of_requests_HTTP_calls_and_consumes_metrics_and_logs_with_trace_ids_reach_the_OTLP_endpoint()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var app = await TelemetryTestApp.StartAsync(
            b =>
            {
                b.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint;
                b.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            },
            a => a.MapGet("/logged", (ILogger<OtlpExportTests> logger) =>
            {
                logger.LogWarning("written inside a request");
                return Results.Ok();
            }));
        // Activity sources are process-wide: other hosts of this test process (the collection's fixture) emit
        // spans too, so this test looks at its own app's requests and what hangs off them.
        var port = app.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.GenerateTrafficAsync(1);
        (await app.Http.GetAsync("logged")).EnsureSuccessStatusCode();
        // The ping is consumed asynchronously: a host stopped before that would never end (or export) its consume span.
        await app.WaitForMetricsAsync(t => t.Contains("messaging_masstransit_consume_total"), TimeSpan.FromSeconds(10));
        await app.DisposeAsync(); // the host's shutdown flushes every exporter

        await WholeHostFactory.EventuallyAsync(() => Task.FromResult((
            collector.Spans.Any(s => s.Name == "GET /logged") && collector.Metrics.Count > 0 && collector.Logs.Count > 0,
            $"{collector.Spans.Count} spans, {collector.Metrics.Count} metrics, {collector.Logs.Count} logs")),
            TimeSpan.FromSeconds(10), "traces, metrics and logs exported");
        Assert.All(collector.ContentTypes, t => Assert.Equal("application/x-protobuf", t));
        var spans = collector.Spans;
        Assert.All(spans, s => Assert.Equal("sagademo", s.Service));
        var ours = spans.Where(s => s.Attribute("server.port") == port).ToList();

        // ASP.NET Core instrumentation: a server span per request, named by route, with the semantic-convention tags.
        var hello = Assert.Single(ours, s => s.Name == "GET /hello");
        Assert.Equal(OtlpSpanKind.Server, hello.Kind);
        Assert.Equal("/hello", hello.Attribute("http.route"));
        Assert.Equal("200", hello.Attribute("http.response.status_code"));
        Assert.Equal(2, Assert.Single(ours, s => s.Name == "GET /fail").StatusCode); // STATUS_CODE_ERROR

        // HttpClient instrumentation: the test's call is a client span, and the server span continues it.
        var call = Assert.Single(ours, s => s.Kind == OtlpSpanKind.Client && s.Attribute("url.full")?.EndsWith("/hello") == true);
        Assert.Equal((call.TraceId, call.SpanId), (hello.TraceId, hello.ParentSpanId));

        // MassTransit: the publish inside POST /ping and its consume are in the request's trace.
        var ping = Assert.Single(ours, s => s.Name == "POST /ping");
        var trace = spans.Where(s => s.TraceId == ping.TraceId).ToList();
        Assert.Single(trace, s => s.Scope == "MassTransit" && s.Kind == OtlpSpanKind.Producer);
        Assert.Single(trace, s => s.Scope == "MassTransit" && s.Kind == OtlpSpanKind.Consumer && s.Attribute("messaging.operation") == "process");
        var root = Assert.Single(trace, s => s.ParentSpanId == "");
        Assert.Equal(OtlpSpanKind.Client, root.Kind);
        Assert.All(trace.Where(s => s != root), s => Assert.Contains(trace, p => p.SpanId == s.ParentSpanId));

        // Metrics: ASP.NET Core, the runtime and our own instruments, with UCUM units.
        var metrics = collector.Metrics;
        Assert.Contains(metrics, m => m is { Name: "http.server.request.duration", Unit: "s", Data: "histogram" });
        Assert.Contains(metrics, m => m is { Name: "dotnet.gc.collections", Data: "sum" });
        Assert.Contains(metrics, m => m is { Name: "sagademo.operations.created", Data: "sum" });
        Assert.Contains(metrics, m => m is { Name: "sagademo.operation.duration", Unit: "s", Data: "histogram" });

        // Logs: a record written inside a request carries that request's trace and span.
        var log = Assert.Single(collector.Logs, l => l.Body == "written inside a request");
        var logged = Assert.Single(ours, s => s.Name == "GET /logged");
        Assert.Equal((logged.TraceId, logged.SpanId), (log.TraceId, log.SpanId));
    }

    [Fact]
    public async Task OTEL_SERVICE_NAME_names_the_exported_service()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var app = await TelemetryTestApp.StartAsync(b =>
        {
            b.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint;
            b.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            b.Configuration["OTEL_SERVICE_NAME"] = "sagademo-api";
        });
        (await app.Http.GetAsync("hello")).EnsureSuccessStatusCode();
        await app.DisposeAsync();

        await WholeHostFactory.EventuallyAsync(() => Task.FromResult((collector.Spans.Any(s => s.Name == "GET /hello"), "")),
            TimeSpan.FromSeconds(10), "the request's span exported");
        Assert.Equal("sagademo-api", collector.Spans.First(s => s.Name == "GET /hello").Service);
    }
}
