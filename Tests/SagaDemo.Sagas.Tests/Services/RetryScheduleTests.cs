using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>Retry-After spread over slots at the drain rate, so shed clients do not come back as one herd.</summary>
public sealed class RetryScheduleTests
{
    [Fact]
    public void Clients_shed_together_are_told_later_and_later_times_at_the_drain_rate()
    {
        var schedule = new RetrySchedule();
        // 100/s: the first 100 shed creates fit into the first second, the next 100 into the second, and so on.
        var waits = Enumerable.Range(0, 350).Select(_ => schedule.Assign(now: 50, earliestSeconds: 1, ratePerSecond: 100, maxSeconds: 30)).ToList();
        Assert.Equal(100, waits.Count(w => w == 1));
        Assert.Equal(100, waits.Count(w => w == 2));
        Assert.Equal(100, waits.Count(w => w == 3));
        Assert.Equal(50, waits.Count(w => w == 4));
    }

    [Fact]
    public void Never_earlier_than_the_policy_asks_and_never_later_than_the_ceiling()
    {
        var schedule = new RetrySchedule();
        Assert.Equal(7, schedule.Assign(0, 7, 1000, 30));
        // One per second: 40 shed at once reach the ceiling and stay there.
        var waits = Enumerable.Range(0, 40).Select(_ => schedule.Assign(0, 1, 1, 30)).ToList();
        Assert.Equal(7, waits[0]);  // shares the 7th second with the first
        Assert.Equal(30, waits.Max());
        Assert.True(waits.Count(w => w == 30) > 1);
    }

    [Fact]
    public void Once_the_slots_passed_the_wait_falls_back_to_the_policys()
    {
        var schedule = new RetrySchedule();
        for (var i = 0; i < 500; i++)
            schedule.Assign(0, 1, 100, 30);  // booked up to 6 s ahead
        Assert.Equal(6, schedule.Assign(0, 1, 100, 30));
        Assert.Equal(1, schedule.Assign(10, 1, 100, 30));
    }
}
