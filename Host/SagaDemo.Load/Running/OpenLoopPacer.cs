namespace SagaDemo.Load.Running;

/// <summary>
/// The arrival schedule of an open-loop run: arrival n is due at start + n / rate, independent of
/// how fast the target answers. Time is passed in (timestamps in ticks of
/// <paramref name="ticksPerSecond"/>), so the schedule is tested with a fake clock.
/// </summary>
/// <remarks>
/// A caller that wakes up late gets every arrival it missed at once, each with its own intended
/// time; latency is measured from that intended time, so a stalled generator shows up as latency
/// instead of silently sending less (no coordinated omission).
/// </remarks>
public sealed class OpenLoopPacer
{
    readonly long _start;
    readonly long _end;
    readonly double _ticksPerArrival;
    long _next;

    public OpenLoopPacer(double ratePerSecond, long start, long end, long ticksPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        _start = start;
        _end = end;
        _ticksPerArrival = ticksPerSecond / ratePerSecond;
    }

    /// <summary>Arrivals handed out so far.</summary>
    public long Released => _next;

    /// <summary>True when the next arrival would fall at or after the end of the run.</summary>
    public bool Finished => DueAt(_next) >= _end;

    /// <summary>When arrival <paramref name="n"/> (0-based) is due.</summary>
    public long DueAt(long n) => _start + (long)Math.Floor(n * _ticksPerArrival);

    /// <summary>The next arrival's due time, or null when the schedule is exhausted.</summary>
    public long? NextDue => Finished ? null : DueAt(_next);

    /// <summary>Hands out the next arrival that is due at or before <paramref name="now"/>, with its intended time.</summary>
    public bool TryTakeDue(long now, out long intended)
    {
        intended = DueAt(_next);
        if (intended > now || intended >= _end)
            return false;
        _next++;
        return true;
    }
}
