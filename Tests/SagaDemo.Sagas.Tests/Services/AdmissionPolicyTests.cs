using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>The admission rule alone: bound from the measured rate, backlog and lag shedding, fair shares, Retry-After.</summary>
public sealed class AdmissionPolicyTests
{
    static readonly AdmissionOptions Options = new()
    {
        TargetQueueTime = TimeSpan.FromSeconds(10), MinPending = 100, MaxPending = 2000, MaxPartitionLag = 5000, FairShareFrom = 0.5,
        MaxRetryAfter = TimeSpan.FromSeconds(30),
    };

    static Backlog Measured(int finishedIn5s, long lag = 0, params (string Owner, int Pending)[] owners) =>
        new(new PendingOperations(owners.Sum(o => o.Pending), owners.ToDictionary(o => o.Owner, o => o.Pending), finishedIn5s,
            TimeSpan.FromSeconds(5)), lag, lag > 0 ? "user-approve [0] (user-approval-service)" : null);

    [Theory]
    [InlineData(0, 100)]      // nothing finished yet: the minimum
    [InlineData(250, 500)]    // 50/s for 10 s
    [InlineData(5000, 2000)]  // 1,000/s would allow 10,000: the maximum
    public void The_bound_is_what_finishes_in_the_target_queue_time_within_its_limits(int finishedIn5s, int bound) =>
        Assert.Equal(bound, AdmissionPolicy.Bound(Options, finishedIn5s / 5.0));

    [Fact]
    public void Below_the_bound_a_create_is_admitted_and_at_it_shed_with_time_to_drain_to_half()
    {
        // 50/s: bound 500. 400 pending plus 99 admitted since the measurement: one more fits.
        Assert.True(AdmissionPolicy.Decide(Options, Measured(250, 0, ("a", 400)), "a", 99, 99).Admitted);
        var shed = AdmissionPolicy.Decide(Options, Measured(250, 0, ("a", 400)), "a", 100, 100);
        Assert.False(shed.Admitted);
        Assert.Equal(AdmissionDecision.BacklogReason, shed.Reason);
        Assert.Equal(5, shed.RetryAfterSeconds); // (500 - 250) / 50 per second
        Assert.Contains("500 operations are pending", shed.Detail);
    }

    [Fact]
    public void Before_anything_finished_retry_after_assumes_the_rate_the_minimum_bound_stands_for()
    {
        // Bound 100, taken as 10/s: half of it drains in 5 s.
        Assert.Equal(5, AdmissionPolicy.Decide(Options, Measured(0, 0, ("a", 100)), "a", 0, 0).RetryAfterSeconds);
        // Never beyond the ceiling.
        Assert.Equal(30, AdmissionPolicy.Decide(Options, Measured(0, 0, ("a", 1000)), "a", 0, 0).RetryAfterSeconds);
    }

    [Fact]
    public void A_consumer_far_behind_sheds_whatever_the_pending_count()
    {
        var shed = AdmissionPolicy.Decide(Options, Measured(5000, 6000, ("a", 1)), "a", 0, 0);
        Assert.Equal(AdmissionDecision.LagReason, shed.Reason);
        Assert.Contains("user-approve [0]", shed.Detail);
        Assert.True(AdmissionPolicy.Decide(Options, Measured(5000, 4999, ("a", 1)), "a", 0, 0).Admitted);
    }

    [Fact]
    public void Past_the_fair_share_threshold_a_client_holding_its_share_is_shed_and_the_others_are_not()
    {
        // Bound 2,000 (rate 1,000/s); 1,510 pending, nearly all the noisy client's: above half the bound, two clients waiting.
        var backlog = Measured(5000, 0, ("noisy", 1500), ("quiet", 10));
        var noisy = AdmissionPolicy.Decide(Options, backlog, "noisy", 0, 0);
        Assert.Equal(AdmissionDecision.FairShareReason, noisy.Reason); // 1,500 >= 2,000 / 2 clients
        Assert.True(AdmissionPolicy.Decide(Options, backlog, "quiet", 0, 0).Admitted);
        // A third client arriving counts itself: share 2,000 / 3.
        Assert.True(AdmissionPolicy.Decide(Options, backlog, "new", 0, 0).Admitted);
        // Alone, a client may use the whole budget (no one else to be fair to), but not more.
        Assert.True(AdmissionPolicy.Decide(Options, Measured(5000, 0, ("noisy", 1500)), "noisy", 0, 0).Admitted);
        Assert.Equal(AdmissionDecision.BacklogReason, AdmissionPolicy.Decide(Options, Measured(5000, 0, ("noisy", 2000)), "noisy", 0, 0).Reason);
    }
}
