using System.Diagnostics.Metrics;

namespace SagaDemo.Telemetry.Metrics;

/// <summary>What the Prometheus exporter listens to and how it names what it finds.</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>The meters every SagaDemo process exports; "X.*" selects X and every meter below it.</summary>
    public static readonly IReadOnlyList<string> DefaultMeters =
    [
        "MassTransit",
        "SagaDemo.*",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime",
        "System.Net.Http",
    ];

    private readonly Dictionary<string, string> _exactNames = new(StringComparer.Ordinal);

    public List<string> Meters { get; } = [.. DefaultMeters];

    /// <summary>
    /// Meters a library creates once per process from whichever host's IMeterFactory came first
    /// (MassTransit does), so they are exported by every host, not only by the one owning them.
    /// </summary>
    public HashSet<string> ProcessWideMeters { get; } = new(StringComparer.Ordinal) { "MassTransit" };

    /// <summary>
    /// Instruments declared as counters whose value also goes down (MassTransit's "active" counts
    /// add -1; the runtime reports thread counts as observable counters). Exported as counters,
    /// a decrease would look like a restart to rate(); as gauges they read right.
    /// </summary>
    public HashSet<string> GaugeInstruments { get; } = new(StringComparer.Ordinal)
    {
        "messaging.masstransit.receive.active",
        "messaging.masstransit.consume.active",
        "messaging.masstransit.handler.active",
        "messaging.masstransit.saga.active",
        "messaging.masstransit.execute.active",
        "messaging.masstransit.compensate.active",
        "dotnet.thread_pool.thread.count",
        "dotnet.thread_pool.queue.length",
    };

    /// <summary>
    /// Optional hook: return the exact Prometheus name for an instrument, or null for the default
    /// naming rules. Consulted after <see cref="ExportAs"/>.
    /// </summary>
    public Func<Instrument, string?>? NameMapper { get; set; }

    /// <summary>
    /// Exports the instrument called <paramref name="instrumentName"/> (in any selected meter) under
    /// exactly <paramref name="prometheusName"/>: no unit or "_total" suffix is added.
    /// </summary>
    public PrometheusExporterOptions ExportAs(string instrumentName, string prometheusName)
    {
        if (!PrometheusNaming.IsValidMetricName(prometheusName))
            throw new ArgumentException($"'{prometheusName}' is not a valid Prometheus metric name.", nameof(prometheusName));
        _exactNames[instrumentName] = prometheusName;
        return this;
    }

    internal string? ExactNameFor(Instrument instrument) =>
        _exactNames.TryGetValue(instrument.Name, out var exact) ? exact : NameMapper?.Invoke(instrument);
}
