using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SagaDemo.Telemetry.Health;

/// <summary>
/// What /health/live and /health/ready answer: the overall status and one entry per check, so an operator sees
/// which dependency is down instead of a bare "Unhealthy".
/// </summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="DurationMs">How long the checks took.</param>
public sealed record HealthReportBody(string Status, double DurationMs, IReadOnlyList<HealthCheckEntry> Checks)
{
    public static HealthReportBody From(HealthReport report) => new(
        report.Status.ToString(),
        Math.Round(report.TotalDuration.TotalMilliseconds, 1),
        report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new HealthCheckEntry(
            e.Key,
            e.Value.Status.ToString(),
            e.Value.Description,
            Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            e.Value.Exception?.Message,
            e.Value.Data.Count > 0 ? e.Value.Data : null)).ToList());
}

/// <summary>One health check's outcome; absent fields were null.</summary>
public sealed record HealthCheckEntry(string Name, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    double DurationMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object>? Data);
