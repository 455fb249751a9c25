using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SagaDemo.Telemetry.Health;

/// <summary>
/// /health/live and /health/ready as route handlers over <see cref="HealthCheckService"/> (rather than the
/// health-check middleware), so they carry response metadata and appear in the OpenAPI document like every route.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SagaDemoHealth.LivePath, (HealthCheckService health, HttpContext http, CancellationToken ct) =>
                ReportAsync(health, _ => false, http, ct))
            .WithName("HealthLive").WithTags(SagaDemoTelemetryExtensions.Tag)
            .WithSummary("Liveness")
            .WithDescription("200 while the process runs (no checks, so a slow dependency never restarts a healthy pod).")
            .Produces<HealthReportBody>(StatusCodes.Status200OK);
        endpoints.MapGet(SagaDemoHealth.ReadyPath, (HealthCheckService health, HttpContext http, CancellationToken ct) =>
                ReportAsync(health, check => check.Tags.Contains(SagaDemoHealth.ReadyTag), http, ct))
            .WithName("HealthReady").WithTags(SagaDemoTelemetryExtensions.Tag)
            .WithSummary("Readiness")
            .WithDescription("200 when Kafka (and PostgreSQL, when configured) answer and every consumer group of the process has joined; otherwise 503, with the failing check.")
            .Produces<HealthReportBody>(StatusCodes.Status200OK)
            .Produces<HealthReportBody>(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> ReportAsync(HealthCheckService health, Func<HealthCheckRegistration, bool> predicate,
        HttpContext http, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(predicate, ct);
        // A probe must see the current state, never a cached one.
        http.Response.Headers.CacheControl = "no-store, no-cache";
        var status = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return TypedResults.Json(HealthReportBody.From(report), Json, "application/json; charset=utf-8", status);
    }
}
