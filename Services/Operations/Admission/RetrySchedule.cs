namespace SagaDemo.Services.Operations.Admission;

/// <summary>
/// Spreads the Retry-After of shed creates so the clients come back no faster than the system takes work. Telling every
/// shed client "1 s" makes all of them return together: under a long overload the returning clients outnumber the new
/// ones, each is shed again, and the process spends its CPU answering 503 instead of finishing sagas (goodput collapses).
/// Here each shed create gets the next free slot, slots one drain-rate interval apart, never earlier than the policy's
/// own wait and never later than <see cref="AdmissionOptions.MaxRetryAfter"/>. Not thread-safe: the caller holds a lock.
/// </summary>
public sealed class RetrySchedule
{
    double _nextFree = double.NegativeInfinity;

    /// <param name="now">Seconds on any monotonic clock.</param>
    /// <param name="earliestSeconds">The wait the admission policy asks for (the backlog's drain to half its bound).</param>
    /// <param name="ratePerSecond">Creates the system takes per second: operations finished per second, as measured.</param>
    /// <param name="maxSeconds">The ceiling; once the schedule is full that far ahead, clients are told the ceiling.</param>
    /// <returns>Whole seconds to advise, at least 1.</returns>
    public int Assign(double now, int earliestSeconds, double ratePerSecond, double maxSeconds)
    {
        var slot = Math.Max(now + earliestSeconds, _nextFree);
        if (slot - now <= maxSeconds)
            _nextFree = slot + 1 / Math.Max(ratePerSecond, 1e-3);
        // Whole seconds: the slots of one second share its Retry-After (clients spread themselves within it).
        return (int)Math.Clamp(Math.Floor(slot - now + 1e-9), Math.Max(1, earliestSeconds), Math.Max(1, Math.Floor(maxSeconds)));
    }
}
