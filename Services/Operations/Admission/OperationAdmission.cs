using Microsoft.Extensions.Options;

namespace SagaDemo.Services.Operations.Admission;

/// <summary>
/// Decides each create against the latest measured <see cref="Backlog"/> (refreshed by the host's sampler every
/// <see cref="AdmissionOptions.SampleInterval"/>) plus what the measurement cannot have seen yet: creates admitted and
/// not yet stored, and creates stored since the count began. So a burst between two measurements cannot overshoot the
/// bound, and an operation stored while the store was being counted is never missed.
/// </summary>
public sealed class OperationAdmission(IOptions<AdmissionOptions> options, IEnumerable<IShedObserver> observers, TimeProvider? clock = null)
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly RetrySchedule _retries = new();

    /// <summary>Operations per owner ("" for anonymous callers) with their total.</summary>
    sealed class Tally
    {
        public long Total;
        public readonly Dictionary<string, long> ByOwner = new(StringComparer.Ordinal);

        public void Add(string owner, long n)
        {
            Total += n;
            ByOwner[owner] = ByOwner.GetValueOrDefault(owner) + n;
        }

        public Tally Copy()
        {
            var copy = new Tally { Total = Total };
            foreach (var (owner, n) in ByOwner)
                copy.ByOwner[owner] = n;
            return copy;
        }
    }

    /// <summary>Where the store count began: how many admitted creates had been stored by then.</summary>
    public sealed class Mark
    {
        internal Mark(object stored) => Stored = stored;
        internal object Stored { get; }
    }

    readonly IShedObserver[] _observers = observers.ToArray();
    readonly object _gate = new();
    Backlog _backlog = Backlog.Unknown;
    readonly Tally _unstored = new();   // admitted, not yet stored (or failed)
    readonly Tally _stored = new();     // admitted and stored, ever (monotonic)
    Tally _storedAtMark = new();

    public AdmissionOptions Options => options.Value;

    public Backlog Backlog
    {
        get { lock (_gate) return _backlog; }
    }

    /// <summary>Taken just before the store is counted for the next <see cref="Measured"/>.</summary>
    public Mark BeginMeasurement()
    {
        lock (_gate)
            return new Mark(_stored.Copy());
    }

    /// <summary>A new measurement: it includes at least every create stored before <paramref name="mark"/>.</summary>
    public void Measured(Backlog backlog, Mark mark)
    {
        lock (_gate)
        {
            _backlog = backlog;
            _storedAtMark = (Tally)mark.Stored;
        }
    }

    /// <param name="owner">The client (<see cref="Operation.Owner"/>; null for anonymous callers, who share one budget).</param>
    /// <param name="type">The operation type asked for (for the shed counter).</param>
    /// <returns>Shed, or admitted with a ticket to dispose of once the operation is stored (or its storing failed).</returns>
    public AdmissionDecision TryAdmit(string? owner, string type)
    {
        var key = owner ?? "";
        AdmissionDecision decision;
        lock (_gate)
        {
            // Off, or nothing measured yet (no sampler here, or it has not run): nothing to decide on.
            if (!options.Value.Enabled || ReferenceEquals(_backlog, Backlog.Unknown))
                decision = AdmissionDecision.Admit;
            else
            {
                var unseen = _unstored.Total + _stored.Total - _storedAtMark.Total;
                var ownerUnseen = _unstored.ByOwner.GetValueOrDefault(key) + _stored.ByOwner.GetValueOrDefault(key)
                    - _storedAtMark.ByOwner.GetValueOrDefault(key);
                decision = AdmissionPolicy.Decide(options.Value, _backlog, key, (int)unseen, (int)ownerUnseen);
            }
            if (decision.Admitted)
            {
                _unstored.Add(key, 1);
                return decision with { Ticket = new Ticket(this, key) };
            }
            // Spread over slots only at a measured rate: before anything finished the policy's floor would book shed
            // clients far too sparsely (a cold start is not a slow system).
            if (_backlog.Pending.FinishedPerSecond > 0)
                decision = decision with
                {
                    RetryAfterSeconds = _retries.Assign(_clock.GetElapsedTime(0).TotalSeconds, decision.RetryAfterSeconds,
                        _backlog.Pending.FinishedPerSecond, options.Value.MaxRetryAfter.TotalSeconds),
                };
        }
        foreach (var observer in _observers)
            observer.Shed(type, decision.Reason!);
        return decision;
    }

    void Settled(string owner)
    {
        lock (_gate)
        {
            _unstored.Add(owner, -1);
            _stored.Add(owner, 1);
        }
    }

    sealed class Ticket(OperationAdmission admission, string owner) : IDisposable
    {
        int _settled;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _settled, 1) == 0)
                admission.Settled(owner);
        }
    }
}

/// <summary>Told of every create shed (the host counts them; the service itself stays free of telemetry).</summary>
public interface IShedObserver
{
    void Shed(string type, string reason);
}
