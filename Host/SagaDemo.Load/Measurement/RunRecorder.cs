using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Measurement;

/// <summary>
/// Everything measured in one run. Totals, latencies and failures count only operations whose
/// arrival fell in the measured window (after warm-up), so accepted = completed + failed +
/// timed out holds for them. The per-second series instead says what the target did in each
/// second from the window's start (warm-up operations finishing then included), which makes it
/// the honest throughput over time. Thread-safe: one lock, held for a few instructions per event,
/// which is far below the cost of the HTTP requests that cause the events.
/// </summary>
public sealed class RunRecorder(long windowStart, long ticksPerSecond)
{
    /// <summary>Distinct failure reasons kept; more are folded into one "other" row so a bad run cannot grow memory.</summary>
    public const int MaxDistinctReasons = 100;

    readonly object _gate = new();
    readonly List<SecondBucket> _seconds = [];
    readonly Dictionary<(FailureKind, string), long> _failures = [];
    readonly Dictionary<FlowKind, List<double>> _clientLatency = new() { [FlowKind.User] = [], [FlowKind.Order] = [] };
    readonly Dictionary<FlowKind, List<double>> _serverLatency = new() { [FlowKind.User] = [], [FlowKind.Order] = [] };
    readonly Dictionary<FlowKind, FlowCounts> _byFlow = new() { [FlowKind.User] = new(), [FlowKind.Order] = new() };
    long _sent, _accepted, _rejected, _completed, _failed, _timedOut, _skipped, _pollErrors, _shed;
    long? _lastCompletion;

    /// <summary>POST-to-final-status latencies for the live display (approximate, lock-free).</summary>
    public LatencyHistogram Live { get; } = new();

    public long WindowStart => windowStart;
    public long TicksPerSecond => ticksPerSecond;

    public int SecondOf(long timestamp) => (int)Math.Floor((double)(timestamp - windowStart) / ticksPerSecond);

    public void Sent(FlowKind flow, long at, bool measured) =>
        Update(at, b => b.Sent++, measured ? () => { _sent++; _byFlow[flow].Sent++; } : null);

    public void Accepted(FlowKind flow, long at, bool measured) =>
        Update(at, b => b.Accepted++, measured ? () => { _accepted++; _byFlow[flow].Accepted++; } : null);

    public void Rejected(FlowKind flow, long at, string reason, bool measured) => Update(at, b => b.Rejected++, !measured ? null : () =>
    {
        _rejected++;
        _byFlow[flow].Rejected++;
        CountFailure(FailureKind.Rejected, reason);
    });

    /// <summary>The target shed a create (503/429); the client waits its Retry-After and sends it again.</summary>
    public void Shed(long at, bool measured) => Update(at, b => b.Shed++, measured ? () => _shed++ : null);

    public void TargetRss(long at, long kib) => Update(at, b => b.TargetRssKiB = kib, null);

    /// <summary>An operation reached a final status; <paramref name="error"/> is null when it completed.</summary>
    public void Finished(FlowKind flow, long at, double clientLatencyMs, double? serverLatencyMs, string? error, int kafkaEvents,
        bool measured)
    {
        if (measured)
            Live.Record(clientLatencyMs);
        Update(at, b =>
        {
            if (error is null) b.Completed++; else b.Failed++;
            b.Latencies.Add(clientLatencyMs);
            b.EstimatedKafkaEvents += kafkaEvents;
        }, !measured ? null : () =>
        {
            var counts = _byFlow[flow];
            if (error is null)
            {
                _completed++;
                _lastCompletion = Math.Max(_lastCompletion ?? at, at);
                counts.Completed++;
            }
            else
            {
                _failed++;
                counts.Failed++;
                CountFailure(FailureKind.Failed, error);
            }
            _clientLatency[flow].Add(clientLatencyMs);
            if (serverLatencyMs is { } server)
                _serverLatency[flow].Add(server);
        });
    }

    public void TimedOut(FlowKind flow) => Update(null, null, () =>
    {
        _timedOut++;
        _byFlow[flow].TimedOut++;
        CountFailure(FailureKind.TimedOut, "still pending after the drain period");
    });

    public void Skipped(long at) => Update(at, null, () =>
    {
        _skipped++;
        CountFailure(FailureKind.Skipped, "generator in-flight limit reached");
    });

    public void PollError() => Interlocked.Increment(ref _pollErrors);

    public void InFlight(long at, long inFlight) => Update(at, b => b.MaxInFlight = Math.Max(b.MaxInFlight, inFlight), null);

    public RecorderSnapshot Snapshot()
    {
        lock (_gate)
            return new(_sent, _accepted, _rejected, _completed, _failed, _timedOut, _skipped, Interlocked.Read(ref _pollErrors))
            {
                Shed = _shed,
                LastCompletionSeconds = _lastCompletion is { } last ? (double)(last - windowStart) / ticksPerSecond : null,
            };
    }

    /// <summary>Per-second rows for seconds 0..<paramref name="seconds"/>-1 (missing seconds are zero).</summary>
    public IReadOnlyList<SecondBucket> Seconds(int seconds)
    {
        lock (_gate)
        {
            while (_seconds.Count < seconds)
                _seconds.Add(new SecondBucket());
            return [.. _seconds.Take(seconds)];
        }
    }

    public IReadOnlyList<(FailureKind Kind, string Reason, long Count)> Failures()
    {
        lock (_gate)
            return [.. _failures.OrderByDescending(f => f.Value).ThenBy(f => f.Key.Item2, StringComparer.Ordinal)
                .Select(f => (f.Key.Item1, f.Key.Item2, f.Value))];
    }

    public double[] ClientLatencies(FlowKind? flow = null) => Latencies(_clientLatency, flow);

    public double[] ServerLatencies(FlowKind? flow = null) => Latencies(_serverLatency, flow);

    public FlowCounts CountsOf(FlowKind flow)
    {
        lock (_gate)
            return _byFlow[flow] with { };
    }

    double[] Latencies(Dictionary<FlowKind, List<double>> source, FlowKind? flow)
    {
        lock (_gate)
            return flow is { } f ? [.. source[f]] : [.. source[FlowKind.User], .. source[FlowKind.Order]];
    }

    void CountFailure(FailureKind kind, string reason)
    {
        var key = (kind, reason);
        if (!_failures.ContainsKey(key) && _failures.Count >= MaxDistinctReasons)
            key = (kind, "other reasons (too many distinct reasons to list)");
        _failures[key] = _failures.GetValueOrDefault(key) + 1;
    }

    void Update(long? at, Action<SecondBucket>? bucket, Action? totals)
    {
        lock (_gate)
        {
            totals?.Invoke();
            if (bucket is null || at is not { } timestamp)
                return;
            var second = SecondOf(timestamp);
            if (second < 0)
                return;
            while (_seconds.Count <= second)
                _seconds.Add(new SecondBucket());
            bucket(_seconds[second]);
        }
    }
}

/// <summary>Operation counts for one flow.</summary>
public sealed record FlowCounts
{
    public long Sent { get; set; }
    public long Accepted { get; set; }
    public long Rejected { get; set; }
    public long Completed { get; set; }
    public long Failed { get; set; }
    public long TimedOut { get; set; }
}

public sealed record RecorderSnapshot(
    long Sent, long Accepted, long Rejected, long Completed, long Failed, long TimedOut, long Skipped, long PollErrors)
{
    /// <summary>Accepted operations that have not reached a final status (yet).</summary>
    public long Pending => Accepted - Completed - Failed - TimedOut;

    /// <summary>503/429 answers to creates of the window (a create shed and retried counts once per answer).</summary>
    public long Shed { get; init; }

    /// <summary>When the window's last operation completed, in seconds from the window's start; null before the first.</summary>
    public double? LastCompletionSeconds { get; init; }

    /// <summary>
    /// Completed operations per second from the window's start to the last completion: the load's goodput including the
    /// time its backlog took to drain (a run that accepts fast and drains slowly scores low).
    /// </summary>
    public double? Goodput => LastCompletionSeconds is > 0 and var seconds ? Completed / seconds : null;
}
