using SagaDemo.Load.Measurement;

namespace SagaDemo.Load.Reporting;

// The report as written to report.json; the HTML page and the terminal summary read the same object.
// Latencies are milliseconds, rates per second.

public sealed record LoadReport(
    RunDescription Run,
    Totals Totals,
    Rates Rates,
    KafkaEvents Kafka,
    Latencies Latency,
    IReadOnlyList<FailureRow> Failures,
    IReadOnlyDictionary<string, FlowCounts> Flows,
    GeneratorUsage Generator,
    TargetUsage? Target,
    IReadOnlyList<SecondRow> Series);

public sealed record RunDescription(
    string Target,
    string Mode,
    double? Rate,
    int? Concurrency,
    double DurationSeconds,
    double WarmupSeconds,
    double DrainLimitSeconds,
    IReadOnlyDictionary<string, double> Mix,
    double RejectRatio,
    IReadOnlyList<string> OrderSkus,
    int OrderQuantity,
    double PollIntervalMs,
    double PollMaxIntervalMs,
    double PollBackoff,
    int PollConcurrency,
    int Connections,
    DateTimeOffset StartedAt,
    double WindowSeconds,
    double DrainSeconds,
    bool StoppedEarly)
{
    public bool HonourRetryAfter { get; init; } = true;
}

/// <summary>
/// Operations that arrived in the measured window. Accepted = Completed + Failed + TimedOut (TimedOut: accepted and never
/// finished). Shed counts the 503/429 answers to them (a create retried after its Retry-After may be shed more than once).
/// </summary>
public sealed record Totals(
    long Sent, long Accepted, long Rejected, long Completed, long Failed, long TimedOut, long Skipped, long PollErrors, bool CountsAddUp)
{
    public long Shed { get; init; }
}

/// <summary>
/// Events per second of the measured window (completions placed by when they were seen). <see cref="Goodput"/>: operations
/// completed per second from the window's start to the last completion, so the time a backlog took to drain counts.
/// </summary>
public sealed record Rates(double Sent, double Accepted, double Completed, double Failed)
{
    public double? Goodput { get; init; }
    public double? GoodputSeconds { get; init; }
}

/// <summary>Kafka records produced per second; <see cref="Source"/> is "measured" or "estimated".</summary>
public sealed record KafkaEvents(double? PerSecond, string Source, string Method);

public sealed record Latencies(
    LatencySummary Client,
    LatencySummary Server,
    IReadOnlyDictionary<string, LatencySummary> ClientByFlow,
    string Note);

public sealed record FailureRow(string Kind, string Reason, long Count);

public sealed record GeneratorUsage(
    double CpuSeconds, double WallSeconds, double CpuPercentOfOneCore, double WindowCpuPercentOfOneCore, double MaxScheduleLagMs);

public sealed record TargetUsage(int Pid, double? WindowCpuPercentOfOneCore, double? PeakRssMiB, double? RssMiB);

/// <summary>One second of the run, counted from the start of the measured window.</summary>
public sealed record SecondRow(
    int Second,
    long Sent,
    long Accepted,
    long Rejected,
    long Completed,
    long Failed,
    long MaxInFlight,
    double? P50Ms,
    double? P99Ms,
    long EstimatedKafkaEvents,
    bool Issuing)
{
    /// <summary>Creates answered 503/429 in this second.</summary>
    public long Shed { get; init; }

    /// <summary>The target's resident set at the end of this second (with --target-pid).</summary>
    public double? TargetRssMiB { get; init; }
}
