namespace SagaDemo.Services.Operations.Admission;

/// <summary>
/// The admission rule, without state or I/O: given the measured backlog plus what was admitted since it was measured,
/// take a create on, or shed it with a Retry-After long enough for the backlog to drain to half the bound.
/// </summary>
public static class AdmissionPolicy
{
    /// <summary>Pending operations the system may hold: what it finishes in <see cref="AdmissionOptions.TargetQueueTime"/>.</summary>
    public static int Bound(AdmissionOptions options, double finishedPerSecond) =>
        (int)Math.Clamp(finishedPerSecond * options.TargetQueueTime.TotalSeconds, options.MinPending, options.MaxPending);

    /// <summary>
    /// The rate the backlog is taken to drain at: the measured one, but before anything finished (a cold start) the least
    /// the bound assumes, <see cref="AdmissionOptions.MinPending"/> per <see cref="AdmissionOptions.TargetQueueTime"/>, not zero.
    /// </summary>
    public static double DrainRate(AdmissionOptions options, double finishedPerSecond) =>
        Math.Max(finishedPerSecond, options.MinPending / options.TargetQueueTime.TotalSeconds);

    public static AdmissionDecision Decide(AdmissionOptions options, Backlog backlog, string owner, int admittedSince, int ownerAdmittedSince)
    {
        var rate = backlog.Pending.FinishedPerSecond;
        var bound = Bound(options, rate);
        var pending = backlog.Pending.Total + admittedSince;

        if (options.MaxPartitionLag > 0 && backlog.MaxPartitionLag >= options.MaxPartitionLag)
            return Shed(options, AdmissionDecision.LagReason, pending, bound, rate,
                $"Consumers are {backlog.MaxPartitionLag} records behind on {backlog.LaggingPartition} (limit {options.MaxPartitionLag}).");
        if (pending >= bound)
            return Shed(options, AdmissionDecision.BacklogReason, pending, bound, rate,
                $"{pending} operations are pending, the most the system finishes in {options.TargetQueueTime.TotalSeconds:0.#} s ({bound}).");
        if (pending >= bound * options.FairShareFrom)
        {
            var byOwner = backlog.Pending.ByOwner;
            var owners = byOwner.Count(o => o.Value > 0) + (byOwner.GetValueOrDefault(owner) > 0 ? 0 : 1);
            var share = bound / Math.Max(1, owners);
            var held = byOwner.GetValueOrDefault(owner) + ownerAdmittedSince;
            if (held >= share)
                return Shed(options, AdmissionDecision.FairShareReason, pending, bound, rate,
                    $"This client has {held} operations pending, its share of the {bound} the system takes while {owners} clients wait.");
        }
        return AdmissionDecision.Admit;
    }

    static AdmissionDecision Shed(AdmissionOptions options, string reason, int pending, int bound, double rate, string detail)
    {
        // Long enough for the backlog to fall to half the bound at the rate it drains.
        var seconds = Math.Ceiling(Math.Max(0, pending - bound / 2.0) / DrainRate(options, rate));
        var retryAfter = (int)Math.Clamp(seconds, 1, Math.Max(1, options.MaxRetryAfter.TotalSeconds));
        return new AdmissionDecision(false, retryAfter, reason, detail);
    }
}
