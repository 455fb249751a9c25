using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SagaDemo.Telemetry.Health;

/// <summary>
/// What /health/live and /health/ready answer. An anonymous caller (a probe, anyone who reaches the port) learns the
/// status and nothing else; an authenticated caller also the duration and one entry per check, so an operator sees
/// which dependency is down. Exception text (host names, users, broker addresses) never goes out: the health check
/// service logs it.
/// </summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="DurationMs">How long the checks took (authenticated callers only).</param>
/// <param name="Checks">One entry per check (authenticated callers only).</param>
public sealed record HealthReportBody(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DurationMs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<HealthCheckEntry>? Checks = null)
{
    public static HealthReportBody From(HealthReport report, bool detailed) => detailed
        ? new(report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new HealthCheckEntry(
                e.Key,
                e.Value.Status.ToString(),
                e.Value.Description,
                Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                e.Value.Data.Count > 0 ? e.Value.Data : null)).ToList())
        : new(report.Status.ToString());
}

/// <summary>One health check's outcome; absent fields were null.</summary>
public sealed record HealthCheckEntry(string Name, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    double DurationMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object>? Data);
