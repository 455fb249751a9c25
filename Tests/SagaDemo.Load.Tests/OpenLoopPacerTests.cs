using SagaDemo.Load.Running;

namespace SagaDemo.Load.Tests;

/// <summary>The open-loop schedule against a fake clock: timestamps are milliseconds handed in by the test.</summary>
public sealed class OpenLoopPacerTests
{
    const long Ms = 1000;

    static List<long> TakeAll(OpenLoopPacer pacer, long now)
    {
        var taken = new List<long>();
        while (pacer.TryTakeDue(now, out var intended))
            taken.Add(intended);
        return taken;
    }

    [Fact]
    public void Releases_arrivals_exactly_when_they_are_due()
    {
        var pacer = new OpenLoopPacer(100, start: 0, end: 1000, ticksPerSecond: Ms);

        Assert.Equal([0L], TakeAll(pacer, 0));
        Assert.Empty(TakeAll(pacer, 9));
        Assert.Equal([10L], TakeAll(pacer, 10));
        Assert.Equal([20L, 30L], TakeAll(pacer, 35));
        Assert.Equal(40, pacer.NextDue);
    }

    [Fact]
    public void A_late_wake_up_gets_every_missed_arrival_with_its_own_intended_time()
    {
        var pacer = new OpenLoopPacer(50, start: 1000, end: 2000, ticksPerSecond: Ms);

        var burst = TakeAll(pacer, 1500);

        // 0, 20, ..., 500 ms after the start: nothing dropped, nothing re-timed to "now".
        Assert.Equal(Enumerable.Range(0, 26).Select(i => 1000L + 20 * i), burst);
    }

    [Theory]
    [InlineData(7, 60)]
    [InlineData(3, 1)]
    [InlineData(1000, 20)]
    [InlineData(0.5, 10)]
    public void Sends_rate_times_duration_arrivals_in_total(double rate, int seconds)
    {
        var pacer = new OpenLoopPacer(rate, start: 0, end: seconds * Ms, ticksPerSecond: Ms);

        // Stepping the fake clock in uneven strides must not change the schedule.
        var taken = new List<long>();
        for (long now = 0; now <= seconds * Ms + 50; now += 37)
            taken.AddRange(TakeAll(pacer, now));

        Assert.Equal((long)(rate * seconds), taken.Count);
        Assert.True(pacer.Finished);
        Assert.Null(pacer.NextDue);
        Assert.All(taken, t => Assert.InRange(t, 0, seconds * Ms - 1));
        Assert.Equal(taken.Order(), taken);
    }

    [Fact]
    public void Non_integer_spacing_does_not_drift()
    {
        var pacer = new OpenLoopPacer(3, start: 0, end: 10 * Ms, ticksPerSecond: Ms);

        var taken = TakeAll(pacer, 10 * Ms);

        Assert.Equal([0L, 333, 666, 1000, 1333, 1666, 2000], taken.Take(7));
        Assert.Equal(9666, taken[^1]);
    }

    [Fact]
    public void Nothing_is_due_at_or_after_the_end()
    {
        var pacer = new OpenLoopPacer(10, start: 0, end: 100, ticksPerSecond: Ms);

        Assert.Equal([0L], TakeAll(pacer, 1_000_000));
        Assert.True(pacer.Finished);
        Assert.Equal(1, pacer.Released);
    }
}
