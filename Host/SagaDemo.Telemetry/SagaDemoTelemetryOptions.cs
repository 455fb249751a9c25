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

    /// <summary>ActivitySources traced; ASP.NET Core emits incoming requests from "Microsoft.AspNetCore".</summary>
    public List<string> ActivitySources { get; } = ["Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "SagaDemo.*"];
}
