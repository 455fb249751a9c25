using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SagaDemo.Telemetry.Tracing;

/// <summary>
/// The OpenTelemetry SDK through OpenTelemetry.Extensions.Hosting: the host owns the providers' lifetime and
/// flushes them on shutdown; the OTLP exporter reads the standard OTEL_EXPORTER_OTLP_* keys from configuration
/// (environment, command line, appsettings).
/// <para>
/// The tracer provider always runs: it makes the ActivitySources of requests, HTTP calls, MassTransit and our
/// own code start activities, so trace ids reach logs, Kafka headers and outbox rows. Without an OTLP endpoint
/// nobody reads spans, so they are propagation-only (sampled out): the instrumentation packages then set no
/// tags, and leaf spans that propagate nothing (Npgsql commands) are not started at all. Recording them for
/// nobody cost CPU on every message (README, Performance).
/// </para>
/// </summary>
internal static class OpenTelemetrySetup
{
    /// <summary>The standard key; set, traces, metrics and logs are exported over OTLP.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool ExportsOverOtlp(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

    public static void AddSagaDemoOpenTelemetry(this IServiceCollection services, IConfiguration configuration,
        SagaDemoTelemetryOptions options)
    {
        var exporting = ExportsOverOtlp(configuration);
        var openTelemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service (the SDK reads it); otherwise it is ours.
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                    resource.AddService(options.ServiceName);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. options.ActivitySources])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (exporting)
                    tracing.AddNpgsql();
                else
                    tracing.SetSampler(new AlwaysOffSampler());
            });
        if (!exporting)
            return;

        // Only for OTLP: /metrics has its own collector (PrometheusMetricsCollector), which needs no provider.
        openTelemetry.WithMetrics(metrics => metrics
                .AddMeter([.. options.Metrics.Meters])
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation())
            // One exporter for every signal; over http/protobuf it appends v1/traces, v1/metrics, v1/logs to the base endpoint.
            .UseOtlpExporter();
    }
}
