using System.Collections.Concurrent;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>
/// What the test consumer did. Deliveries are counted (at-least-once may repeat them); effects are keyed by
/// (operation, sequence) and applied once, like an idempotent handler would.
/// </summary>
public sealed class EffectLog
{
    readonly ConcurrentDictionary<(Guid, int), int> _effects = new();
    readonly ConcurrentDictionary<Guid, List<int>> _firstOrderByKey = new();
    int _concurrent;
    int _maxConcurrent;
    int _deliveries;

    public int Deliveries => Volatile.Read(ref _deliveries);
    public int DistinctEffects => _effects.Count;
    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);
    public int DuplicateDeliveries => _effects.Values.Sum(v => v - 1);

    public IReadOnlyDictionary<Guid, List<int>> FirstOrderByKey => _firstOrderByKey;

    public IDisposable Enter()
    {
        var now = Interlocked.Increment(ref _concurrent);
        int seen;
        while ((seen = Volatile.Read(ref _maxConcurrent)) < now && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen) { }
        return new Exit(this);
    }

    public void Apply(Guid key, int sequence)
    {
        Interlocked.Increment(ref _deliveries);
        if (_effects.AddOrUpdate((key, sequence), 1, (_, n) => n + 1) == 1)
        {
            var list = _firstOrderByKey.GetOrAdd(key, _ => []);
            lock (list)
                list.Add(sequence);
        }
    }

    public bool Has(Guid key, int sequence) => _effects.ContainsKey((key, sequence));

    sealed class Exit(EffectLog log) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref log._concurrent);
    }
}
