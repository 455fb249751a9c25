using System.Diagnostics.Metrics;
using SagaDemo.Telemetry.Metrics;

namespace SagaDemo.Telemetry.Tests.Exporter;

/// <summary>A private meter (unique name) and a collector that listens only to it.</summary>
public sealed class PrivateMeter : IDisposable
{
    public PrivateMeter(Action<PrometheusExporterOptions>? configure = null)
    {
        Meter = new Meter("SagaDemo.Test." + Guid.NewGuid().ToString("N"));
        var options = new PrometheusExporterOptions();
        options.Meters.Clear();
        options.Meters.Add(Meter.Name);
        configure?.Invoke(options);
        Collector = new PrometheusMetricsCollector(options);
    }

    public Meter Meter { get; }

    public PrometheusMetricsCollector Collector { get; }

    public string Scrape() => Collector.Scrape();

    /// <summary>The sample lines (no comments), for exact comparisons.</summary>
    public string[] Samples() => Scrape().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();

    public void Dispose()
    {
        Collector.Dispose();
        Meter.Dispose();
    }
}
