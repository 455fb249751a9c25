using SagaDemo.Load.Measurement;
using SagaDemo.Load.Running;
using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Reporting;

/// <summary>Turns a finished run into the report's figures.</summary>
public static class LoadReportBuilder
{
    public const string LatencyNote =
        "client: from the operation's intended start (its POST) to the poll that saw a final status; it includes up to one " +
        "poll interval of delay (the interval starts at poll-interval and backs off to poll-max-interval). " +
        "server: updatedAt - createdAt of the operation, exact but without the HTTP round trips.";

    public static LoadReport Build(LoadResult result)
    {
        var s = result.Settings;
        var recorder = result.Recorder;
        var snapshot = recorder.Snapshot();

        // Rates use whole seconds of the window, so they agree with the per-second series.
        var rateSeconds = Math.Max(1, (int)Math.Round(result.WindowSeconds));
        var seriesSeconds = Math.Max(rateSeconds, (int)Math.Ceiling(result.WindowSeconds + result.DrainSeconds));
        var seconds = recorder.Seconds(seriesSeconds);
        var window = seconds.Take(rateSeconds).ToList();

        var run = new RunDescription(
            s.Target.ToString(), s.Mode, s.Rate, s.Concurrency, s.Duration.TotalSeconds, s.Warmup.TotalSeconds, s.Drain.TotalSeconds,
            s.Mix.Weights.ToDictionary(w => w.Key.Name(), w => w.Value), s.RejectRatio, s.OrderSkus, s.OrderQuantity,
            s.PollInterval.TotalMilliseconds, s.PollMaxInterval.TotalMilliseconds, s.PollBackoff, s.PollConcurrency, s.Connections,
            result.StartedAt, Round(result.WindowSeconds), Round(result.DrainSeconds), result.StoppedEarly)
        {
            HonourRetryAfter = s.HonourRetryAfter,
        };

        var totals = new Totals(snapshot.Sent, snapshot.Accepted, snapshot.Rejected, snapshot.Completed, snapshot.Failed,
            snapshot.TimedOut, snapshot.Skipped, snapshot.PollErrors,
            CountsAddUp: snapshot.Accepted == snapshot.Completed + snapshot.Failed + snapshot.TimedOut
                && snapshot.Sent == snapshot.Accepted + snapshot.Rejected)
        {
            Shed = snapshot.Shed,
        };

        var rates = new Rates(
            Round(window.Sum(b => b.Sent) / (double)rateSeconds),
            Round(window.Sum(b => b.Accepted) / (double)rateSeconds),
            Round(window.Sum(b => b.Completed) / (double)rateSeconds),
            Round(window.Sum(b => b.Failed) / (double)rateSeconds))
        {
            Goodput = Round(snapshot.Goodput),
            GoodputSeconds = Round(snapshot.LastCompletionSeconds),
        };

        var latency = new Latencies(
            Rounded(Percentiles.Summarize(recorder.ClientLatencies())),
            Rounded(Percentiles.Summarize(recorder.ServerLatencies())),
            Enum.GetValues<FlowKind>().Where(f => s.Mix.Weights.ContainsKey(f))
                .ToDictionary(f => f.Name(), f => Rounded(Percentiles.Summarize(recorder.ClientLatencies(f)))),
            LatencyNote);

        var series = seconds.Select((b, i) =>
        {
            var sorted = b.Latencies.ToArray();
            Array.Sort(sorted);
            return new SecondRow(i, b.Sent, b.Accepted, b.Rejected, b.Completed, b.Failed, b.MaxInFlight,
                Round(Percentiles.OfSorted(sorted, 50)), Round(Percentiles.OfSorted(sorted, 99)), b.EstimatedKafkaEvents,
                Issuing: i < rateSeconds)
            {
                Shed = b.Shed,
                TargetRssMiB = b.TargetRssKiB > 0 ? Round(b.TargetRssKiB / 1024.0) : null,
            };
        }).ToList();

        return new LoadReport(run, totals, rates, Kafka(result, window, rateSeconds), latency,
            [.. recorder.Failures().Select(f => new FailureRow(KindName(f.Kind), f.Reason, f.Count))],
            Enum.GetValues<FlowKind>().Where(f => s.Mix.Weights.ContainsKey(f)).ToDictionary(f => f.Name(), recorder.CountsOf),
            Generator(result), Target(result), series);
    }

    static KafkaEvents Kafka(LoadResult result, List<SecondBucket> window, int rateSeconds)
    {
        var s = result.Settings;
        if (result.WindowStart.KafkaRecords is { } first && result.WindowEnd.KafkaRecords is { } last && result.WindowSeconds > 0)
            return new(Round((last - first) / result.WindowSeconds), "measured",
                $"increase of {s.KafkaMetric} (all label sets) at {s.MetricsUrl} over the measured window");
        var why = s.MetricsUrl is null ? "no --metrics-url given" : $"{s.KafkaMetric} not found at {s.MetricsUrl}";
        return new(Round(window.Sum(b => b.EstimatedKafkaEvents) / (double)rateSeconds), "estimated",
            $"{KafkaEventEstimate.Method} ({why})");
    }

    static GeneratorUsage Generator(LoadResult result)
    {
        var windowCpu = (result.WindowEnd.GeneratorCpu - result.WindowStart.GeneratorCpu).TotalSeconds;
        return new(Round(result.GeneratorCpuTotal.TotalSeconds), Round(result.WallSeconds),
            Round(Percent(result.GeneratorCpuTotal.TotalSeconds, result.WallSeconds)),
            Round(Percent(windowCpu, result.WindowSeconds)),
            Round(result.MaxScheduleLagMs));
    }

    static TargetUsage? Target(LoadResult result)
    {
        if (result.Settings.TargetPid is not { } pid)
            return null;
        double? cpu = result.WindowStart.TargetCpu is { } a && result.WindowEnd.TargetCpu is { } b
            ? Round(Percent((b - a).TotalSeconds, result.WindowSeconds))
            : null;
        return new(pid, cpu, Round(result.TargetPeakRssKiB / 1024.0), Round(result.TargetRssKiB / 1024.0));
    }

    static string KindName(FailureKind kind) => kind switch
    {
        FailureKind.Rejected => "rejected",
        FailureKind.Failed => "failed",
        FailureKind.TimedOut => "timeout",
        _ => "skipped",
    };

    static double Percent(double cpuSeconds, double wallSeconds) => wallSeconds > 0 ? cpuSeconds / wallSeconds * 100 : 0;

    static LatencySummary Rounded(LatencySummary l) =>
        new(l.Count, Round(l.P50), Round(l.P95), Round(l.P99), Round(l.P999), Round(l.Max), Round(l.Min), Round(l.Mean));

    static double Round(double v) => Math.Round(v, 3);

    static double? Round(double? v) => v is { } x ? Math.Round(x, 3) : null;
}
