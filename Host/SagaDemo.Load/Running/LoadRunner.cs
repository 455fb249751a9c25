using SagaDemo.Load.Measurement;
using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Running;

/// <summary>
/// Runs the load: warm-up, the measured window (open loop on a fixed schedule, or closed loop with
/// N workers), then a drain period in which accepted operations may still finish. Each operation
/// is POSTed, then polled (with backoff, through a bounded number of concurrent polls) until its
/// status is final; its latency runs from its intended start to the poll that saw it final.
/// </summary>
public sealed class LoadRunner(LoadSettings settings, OperationClient client, TimeProvider clock)
{
    static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);

    readonly RequestBodies _bodies = new(settings.RejectRatio, settings.OrderSkus, settings.OrderQuantity, settings.RunTag);
    readonly SemaphoreSlim _pollGate = new(settings.PollConcurrency, settings.PollConcurrency);
    readonly CancellationTokenSource _drainOver = new();
    readonly long _frequency = clock.TimestampFrequency;
    long _inFlight;
    long _maxLagTicks;
    volatile string _phase = "starting";
    long _runStart;
    long _windowStart;

    /// <summary>Null until the run starts.</summary>
    public RunRecorder? Recorder { get; private set; }

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>warm-up, measuring, draining or done.</summary>
    public string Phase => _phase;

    /// <summary>Seconds since the measured window started (negative during warm-up).</summary>
    public double WindowElapsedSeconds => Recorder is null ? 0 : (double)(clock.GetTimestamp() - _windowStart) / _frequency;

    public async Task<LoadResult> RunAsync(CancellationToken stop)
    {
        var startedAt = clock.GetUtcNow();
        var cpuAtStart = ProcessStats.OwnCpu();
        _runStart = clock.GetTimestamp();
        _windowStart = _runStart + Ticks(settings.Warmup);
        var issueEnd = _windowStart + Ticks(settings.Duration);
        Recorder = new RunRecorder(_windowStart, _frequency);
        _phase = settings.Warmup > TimeSpan.Zero ? "warm-up" : "measuring";

        using var samplerStop = new CancellationTokenSource();
        var sampler = SampleAsync(samplerStop.Token);
        var startProbe = ProbeAtAsync(_windowStart, stop);

        Task[] closedLoopWorkers = [];
        if (settings.Rate is { } rate)
            await IssueOpenLoopAsync(rate, issueEnd, stop);
        else
        {
            closedLoopWorkers = StartClosedLoop(settings.Concurrency ?? 1, issueEnd, stop);
            // The window ends on time (or on stop); workers finish their current operation in the drain period.
            await WaitUntilAsync(issueEnd, stop);
        }

        var stoppedEarly = stop.IsCancellationRequested;
        var windowStartProbe = await startProbe;
        var windowEndProbe = await ProbeAsync(CancellationToken.None);
        _phase = "draining";

        var drainStart = clock.GetTimestamp();
        var drainEnd = drainStart + Ticks(settings.Drain);
        while (InFlight > 0 && clock.GetTimestamp() < drainEnd)
            await Task.Delay(TimeSpan.FromMilliseconds(20), clock);
        var drainSeconds = Seconds(clock.GetTimestamp() - drainStart);

        // Whatever is still pending now times out: cancelling ends its poll loop, which records it.
        await _drainOver.CancelAsync();
        await Task.WhenAll(closedLoopWorkers);
        while (InFlight > 0)
            await Task.Delay(TimeSpan.FromMilliseconds(5), clock);

        await samplerStop.CancelAsync();
        await sampler;
        _phase = "done";
        var end = clock.GetTimestamp();
        return new LoadResult(settings, Recorder, startedAt,
            WindowSeconds: Math.Max(0, Seconds(windowEndProbe.Timestamp - _windowStart)),
            DrainSeconds: drainSeconds,
            WallSeconds: Seconds(end - _runStart),
            GeneratorCpuTotal: ProcessStats.OwnCpu() - cpuAtStart,
            windowStartProbe, windowEndProbe,
            MaxScheduleLagMs: Seconds(Interlocked.Read(ref _maxLagTicks)) * 1000,
            TargetPeakRssKiB: settings.TargetPid is { } pid ? ProcessStats.StatusKiB(pid, "VmHWM") : null,
            TargetRssKiB: settings.TargetPid is { } pid2 ? ProcessStats.StatusKiB(pid2, "VmRSS") : null,
            StoppedEarly: stoppedEarly);
    }

    async Task IssueOpenLoopAsync(double rate, long issueEnd, CancellationToken stop)
    {
        var pacer = new OpenLoopPacer(rate, _runStart, issueEnd, _frequency);
        while (!stop.IsCancellationRequested)
        {
            var now = clock.GetTimestamp();
            if (_phase == "warm-up" && now >= _windowStart)
                _phase = "measuring";
            while (pacer.TryTakeDue(now, out var intended))
            {
                NoteLag(now - intended);
                if (InFlight >= settings.MaxInFlight)
                {
                    if (intended >= _windowStart)
                        Recorder!.Skipped(now);
                    continue;
                }
                _ = RunOperationAsync(intended);
            }
            if (pacer.NextDue is not { } next)
                break;
            // Task.Delay rounds up to the timer's resolution (about 1 ms); arrivals then go out
            // together, each still carrying its own intended time.
            var wait = TimeSpan.FromSeconds(Seconds(next - clock.GetTimestamp()));
            await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), clock);
        }
        if (!stop.IsCancellationRequested)
            await WaitUntilAsync(issueEnd, stop);
    }

    Task[] StartClosedLoop(int workers, long issueEnd, CancellationToken stop)
    {
        var tasks = new Task[workers];
        for (var i = 0; i < workers; i++)
            tasks[i] = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested && !_drainOver.IsCancellationRequested)
                {
                    var now = clock.GetTimestamp();
                    if (now >= issueEnd)
                        return;
                    if (_phase == "warm-up" && now >= _windowStart)
                        _phase = "measuring";
                    await RunOperationAsync(now);
                }
            }, CancellationToken.None);
        return tasks;
    }

    async Task RunOperationAsync(long intended)
    {
        var recorder = Recorder!;
        var measured = intended >= _windowStart;
        var flow = settings.Mix.Pick(Random.Shared.NextDouble());
        var accepted = false;
        Interlocked.Increment(ref _inFlight);
        try
        {
            var body = _bodies.For(flow, Random.Shared.NextDouble());
            recorder.Sent(flow, intended, measured);
            var post = await client.CreateAsync(flow, body, _drainOver.Token);
            while (post.Shed && settings.HonourRetryAfter)
            {
                recorder.Shed(clock.GetTimestamp(), measured);
                await Task.Delay(ShedRetry.Wait(post.RetryAfter, Random.Shared.NextDouble()), clock, _drainOver.Token);
                post = await client.CreateAsync(flow, body, _drainOver.Token);
            }
            if (post.Location is not { } location)
            {
                if (post.Shed)
                    recorder.Shed(clock.GetTimestamp(), measured);
                recorder.Rejected(flow, clock.GetTimestamp(), post.Rejection!, measured);
                return;
            }
            accepted = true;
            recorder.Accepted(flow, clock.GetTimestamp(), measured);

            var wait = settings.PollInterval;
            while (true)
            {
                await Task.Delay(wait, clock, _drainOver.Token);
                OperationStatus? status;
                await _pollGate.WaitAsync(_drainOver.Token);
                try
                {
                    status = await client.StatusAsync(location, _drainOver.Token);
                }
                finally
                {
                    _pollGate.Release();
                }
                if (status is null)
                    recorder.PollError();
                else if (status.IsFinal)
                {
                    var now = clock.GetTimestamp();
                    var error = status.Status == "failed" ? status.Error ?? "failed without an error text" : null;
                    recorder.Finished(flow, now, Seconds(now - intended) * 1000,
                        (status.UpdatedAt - status.CreatedAt).TotalMilliseconds, error, KafkaEventEstimate.For(flow, error), measured);
                    return;
                }
                wait = TimeSpan.FromTicks(Math.Min((long)(wait.Ticks * settings.PollBackoff), settings.PollMaxInterval.Ticks));
            }
        }
        catch (OperationCanceledException) when (_drainOver.IsCancellationRequested)
        {
            if (!measured)
                return;
            if (accepted)
                recorder.TimedOut(flow);
            else
                recorder.Rejected(flow, clock.GetTimestamp(), "not accepted when the drain period ended (unanswered, or shed and waiting to retry)", measured);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    async Task SampleAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Recorder!.InFlight(clock.GetTimestamp(), InFlight);
                if (settings.TargetPid is { } pid && ProcessStats.StatusKiB(pid, "VmRSS") is { } rss)
                    Recorder.TargetRss(clock.GetTimestamp(), rss);
                await Task.Delay(SampleInterval, clock, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task<WindowProbe> ProbeAtAsync(long at, CancellationToken stop)
    {
        await WaitUntilAsync(at, stop);
        return await ProbeAsync(CancellationToken.None);
    }

    async Task<WindowProbe> ProbeAsync(CancellationToken ct)
    {
        var timestamp = clock.GetTimestamp();
        var cpu = ProcessStats.OwnCpu();
        var target = settings.TargetPid is { } pid ? ProcessStats.CpuOf(pid) : null;
        double? kafka = null;
        if (settings.MetricsUrl is { } metrics && await client.GetTextAsync(metrics, ct) is { } text)
            kafka = PrometheusCounter.Sum(text, settings.KafkaMetric);
        return new WindowProbe(timestamp, cpu, target, kafka);
    }

    async Task WaitUntilAsync(long timestamp, CancellationToken stop)
    {
        var wait = Seconds(timestamp - clock.GetTimestamp());
        if (wait <= 0)
            return;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(wait), clock, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    void NoteLag(long lag)
    {
        var current = Interlocked.Read(ref _maxLagTicks);
        while (lag > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxLagTicks, lag, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _frequency);

    double Seconds(long ticks) => (double)ticks / _frequency;
}
