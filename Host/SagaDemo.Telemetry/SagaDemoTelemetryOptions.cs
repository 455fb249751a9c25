using SagaDemo.Telemetry.Metrics;

namespace SagaDemo.Telemetry;

/// <summary>Settings of <see cref="SagaDemoTelemetryExtensions.AddSagaDemoTelemetry"/>.</summary>
public sealed class SagaDemoTelemetryOptions
{
    /// <summary>service.name of traces and OTLP metrics.</summary>
    public string ServiceName { get; set; } = "sagademo";

    /// <summary>The service roles this process runs, exported as sagademo_host_role{role}.</summary>
    public IReadOnlyCollection<string> Roles { get; set; } = [];

    /// <summary>Meters exported at /metrics and how they are named.</summary>
    public PrometheusExporterOptions Metrics { get; } = new();

    /// <summary>
    /// ActivitySources traced besides the instrumentation packages' own (ASP.NET Core, HttpClient; Npgsql when
    /// exporting): MassTransit's consume and publish spans and our own.
    /// </summary>
    public List<string> ActivitySources { get; } = ["MassTransit", "SagaDemo.*"];
}
