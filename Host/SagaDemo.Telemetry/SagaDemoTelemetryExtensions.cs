using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using SagaDemo.Telemetry.Health;
using SagaDemo.Telemetry.Instruments;
using SagaDemo.Telemetry.Metrics;
using SagaDemo.Telemetry.Tracing;

namespace SagaDemo.Telemetry;

/// <summary>
/// One-call telemetry for every SagaDemo process, in the spirit of .NET Aspire's ServiceDefaults:
/// <c>builder.AddSagaDemoTelemetry(o => o.Roles = roles)</c> then <c>app.MapSagaDemoTelemetry()</c>.
/// </summary>
public static class SagaDemoTelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The OpenAPI tag of the probes and /metrics.</summary>
    public const string Tag = "Health and metrics";

    public static WebApplicationBuilder AddSagaDemoTelemetry(this WebApplicationBuilder builder,
        Action<SagaDemoTelemetryOptions>? configure = null)
    {
        var options = new SagaDemoTelemetryOptions();
        configure?.Invoke(options);
        var services = builder.Services;

        services.AddSingleton(options);
        services.AddMetrics();
        services.AddSingleton(sp => new PrometheusMetricsCollector(options.Metrics, sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<SagaDemoMetrics>();
        services.AddSingleton<HostRoleMetrics>();
        services.AddHostedService<TelemetryStartup>();
        services.AddSagaDemoOpenTelemetry(builder.Configuration, options);
        services.AddHealthChecks();

        // One JSON object per line; scopes carry TraceId/SpanId (activity tracking), baggage such
        // as operation.id, and the OperationId scope of OperationLogScope.
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId | ActivityTrackingOptions.Baggage);
        return builder;
    }

    /// <summary>Maps /metrics, /health/live and /health/ready.</summary>
    public static WebApplication MapSagaDemoTelemetry(this WebApplication app)
    {
        app.MapSagaDemoTelemetryEndpoints();
        return app;
    }

    public static IEndpointRouteBuilder MapSagaDemoTelemetryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(MetricsPath, (PrometheusMetricsCollector collector) =>
                Results.Text(collector.Scrape(), PrometheusTextWriter.ContentType))
            .WithName("Metrics").WithTags(Tag)
            .WithSummary("Metrics")
            .WithDescription("This process's metrics in the Prometheus text format.")
            .Produces<string>(StatusCodes.Status200OK, PrometheusTextWriter.ContentType);

        endpoints.MapHealthEndpoints();
        return endpoints;
    }
}
