using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SagaDemo.Telemetry.Health;

/// <summary>
/// The health contract: /health/live answers 200 while the process runs (no checks, so a slow
/// dependency never gets a healthy pod restarted); /health/ready runs every check tagged
/// <see cref="ReadyTag"/> (Kafka, database) and answers 503 when one is unhealthy.
/// </summary>
public static class SagaDemoHealth
{
    public const string ReadyTag = "ready";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>Registers a readiness check: <c>services.AddHealthChecks().AddReadyCheck&lt;KafkaHealthCheck&gt;("kafka")</c>.</summary>
    public static IHealthChecksBuilder AddReadyCheck<TCheck>(this IHealthChecksBuilder builder, string name)
        where TCheck : class, IHealthCheck =>
        builder.AddCheck<TCheck>(name, tags: [ReadyTag]);

    public static IHealthChecksBuilder AddReadyCheck(this IHealthChecksBuilder builder, string name,
        Func<CancellationToken, Task<HealthCheckResult>> check) =>
        builder.AddAsyncCheck(name, check, [ReadyTag]);
}
