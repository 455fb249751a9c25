using System.Net;
using System.Net.Http.Headers;
using SagaDemo.Load.Measurement;
using SagaDemo.Load.Running;
using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Tests;

/// <summary>How the generator reads a shed answer's Retry-After, how long it waits, and what it counts.</summary>
public sealed class ShedRetryTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Only_503_and_429_are_shed_answers()
    {
        Assert.True(ShedRetry.IsShed(HttpStatusCode.ServiceUnavailable));
        Assert.True(ShedRetry.IsShed(HttpStatusCode.TooManyRequests));
        Assert.False(ShedRetry.IsShed(HttpStatusCode.BadRequest));
        Assert.False(ShedRetry.IsShed(HttpStatusCode.InternalServerError));
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_or_as_a_date()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), ShedRetry.Advised(RetryConditionHeaderValue.Parse("7"), Now));
        Assert.Equal(TimeSpan.FromSeconds(90), ShedRetry.Advised(new RetryConditionHeaderValue(Now.AddSeconds(90)), Now));
        Assert.Null(ShedRetry.Advised(new RetryConditionHeaderValue(Now.AddSeconds(-5)), Now));
        Assert.Null(ShedRetry.Advised(RetryConditionHeaderValue.Parse("0"), Now));
        Assert.Null(ShedRetry.Advised(null, Now));
    }

    [Fact]
    public void The_wait_is_the_advised_time_plus_up_to_a_fifth_and_a_second_without_advice()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), ShedRetry.Wait(TimeSpan.FromSeconds(5), 0));
        Assert.Equal(TimeSpan.FromSeconds(5.5), ShedRetry.Wait(TimeSpan.FromSeconds(5), 0.5));
        Assert.True(ShedRetry.Wait(TimeSpan.FromSeconds(5), 0.999999) < TimeSpan.FromSeconds(6));
        Assert.Equal(ShedRetry.DefaultWait, ShedRetry.Wait(null, 0));
    }

    [Fact]
    public void Shed_answers_count_per_second_and_goodput_runs_to_the_last_completion()
    {
        var recorder = new RunRecorder(windowStart: 0, ticksPerSecond: 1000);
        for (var i = 0; i < 10; i++)
        {
            recorder.Sent(FlowKind.User, i * 100, measured: true);
            recorder.Shed(i * 100 + 1, measured: true);
            recorder.Accepted(FlowKind.User, 1500 + i, measured: true);
            // Completions until 4.9 s: 10 in 4.9 s, whatever the 1 s window said.
            recorder.Finished(FlowKind.User, 4000 + i * 100, 4000, 3000, null, 7, measured: true);
        }
        recorder.Shed(2000, measured: false);   // a warm-up create: in the series, not in the totals
        recorder.TargetRss(2500, 300 * 1024);

        var snapshot = recorder.Snapshot();
        Assert.Equal(10, snapshot.Shed);
        Assert.Equal(4.9, snapshot.LastCompletionSeconds!.Value, 9);
        Assert.Equal(10 / 4.9, snapshot.Goodput!.Value, 9);
        var seconds = recorder.Seconds(5);
        Assert.Equal([10, 0, 1, 0, 0], seconds.Select(s => s.Shed));
        Assert.Equal(300 * 1024, seconds[2].TargetRssKiB);
    }

    [Fact]
    public void Nothing_completed_has_no_goodput()
    {
        var recorder = new RunRecorder(0, 1000);
        recorder.Sent(FlowKind.User, 0, measured: true);
        recorder.Accepted(FlowKind.User, 10, measured: true);
        recorder.Finished(FlowKind.User, 500, 500, 400, "approval failed", 5, measured: true);
        Assert.Null(recorder.Snapshot().Goodput);
    }
}
