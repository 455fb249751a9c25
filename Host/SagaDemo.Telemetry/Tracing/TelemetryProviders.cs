using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SagaDemo.Telemetry.Instruments;
using SagaDemo.Telemetry.Metrics;

namespace SagaDemo.Telemetry.Tracing;

/// <summary>
/// Owns the OpenTelemetry SDK providers for the host's lifetime: the part that
/// OpenTelemetry.Extensions.Hosting would do. The tracer provider always runs (it makes the
/// ActivitySources record, so trace ids reach logs and outgoing messages); OTLP export of traces
/// and metrics is added only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Being a hosted service, it is
/// created at start-up (which also starts the /metrics collector and the host instruments) and
/// flushes what is buffered on shutdown.
/// Without an exporter, spans are created for propagation only (sampled out): trace ids still reach logs and
/// outgoing messages, but no tags or events are recorded that nobody would read, which costs CPU on every message.
/// </summary>
internal sealed class TelemetryProviders : IHostedService, IDisposable
{
    private readonly TracerProvider _tracerProvider;
    private readonly MeterProvider? _otlpMeterProvider;

    public TelemetryProviders(SagaDemoTelemetryOptions options, IConfiguration configuration,
        PrometheusMetricsCollector collector, SagaDemoMetrics sagaDemoMetrics, HostRoleMetrics hostRoleMetrics)
    {
        _ = (collector, sagaDemoMetrics, hostRoleMetrics); // resolved here so they record from start-up
        var resource = ResourceBuilder.CreateDefault().AddService(options.ServiceName);
        var otlp = OtlpSettings.From(configuration);

        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource([.. options.ActivitySources]);
        if (otlp is not null)
            tracing.AddOtlpExporter(o => otlp.Apply(o, "v1/traces"));
        else
            tracing.SetSampler(new AlwaysOffSampler());
        _tracerProvider = tracing.Build();

        if (otlp is not null)
            _otlpMeterProvider = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter([.. options.Metrics.Meters])
                .AddOtlpExporter(o => otlp.Apply(o, "v1/metrics"))
                .Build();
    }

    public bool ExportsOverOtlp => _otlpMeterProvider is not null;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _tracerProvider.ForceFlush(5000);
        _otlpMeterProvider?.ForceFlush(5000);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracerProvider.Dispose();
        _otlpMeterProvider?.Dispose();
    }
}
