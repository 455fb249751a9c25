using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Running;

/// <summary>One run's settings. Exactly one of <see cref="Rate"/> (open loop) and <see cref="Concurrency"/> (closed loop) is set.</summary>
public sealed record LoadSettings
{
    public Uri Target { get; init; } = new("http://localhost:8080");
    /// <summary>Open loop: operations started per second on a fixed schedule, whatever the target's speed.</summary>
    public double? Rate { get; init; }
    /// <summary>Closed loop: this many workers, each starting its next operation when the previous one finished.</summary>
    public int? Concurrency { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;
    /// <summary>After the last arrival, how long accepted operations may still finish before they count as timed out.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);
    public FlowMix Mix { get; init; } = FlowMix.Default;
    public double RejectRatio { get; init; }
    public IReadOnlyList<string> OrderSkus { get; init; } = RequestBodies.DefaultOrderSkus;
    public int OrderQuantity { get; init; } = 1;
    /// <summary>First wait before polling an accepted operation; each later wait grows by <see cref="PollBackoff"/>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(20);
    public TimeSpan PollMaxInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    public double PollBackoff { get; init; } = 1.25;
    /// <summary>Status requests in flight at once, so polling cannot flood the target.</summary>
    public int PollConcurrency { get; init; } = 64;
    /// <summary>HTTP connections to the target (SocketsHttpHandler.MaxConnectionsPerServer).</summary>
    public int Connections { get; init; } = 256;
    /// <summary>Open loop only: arrivals beyond this many unfinished operations are skipped and counted.</summary>
    public int MaxInFlight { get; init; } = 20_000;
    /// <summary>A create answered 503/429 is sent again after its Retry-After (and counted as shed) instead of counted as rejected.</summary>
    public bool HonourRetryAfter { get; init; } = true;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The target's Prometheus endpoint; when set and it has <see cref="KafkaMetric"/>, Kafka events/s are measured.</summary>
    public Uri? MetricsUrl { get; init; }
    public string KafkaMetric { get; init; } = "sagademo_kafka_records_produced_total";
    /// <summary>The target's process id on this machine, to report its CPU use and peak memory.</summary>
    public int? TargetPid { get; init; }
    /// <summary>Makes generated names unique per run, so repeated runs against one host do not collide.</summary>
    public string RunTag { get; init; } = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);

    public string Mode => Rate is not null ? "open-loop" : "closed-loop";
}
