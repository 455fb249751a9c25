namespace SagaDemo.Telemetry.Metrics;

/// <summary>The Prometheus metric type an instrument is exported as.</summary>
public enum MetricKind
{
    /// <summary>Monotonic: Counter and ObservableCounter.</summary>
    Counter,

    /// <summary>Current value: UpDownCounter, Gauge and their observable forms.</summary>
    Gauge,

    Histogram,
}
