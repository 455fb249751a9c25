using System.Collections.Concurrent;

namespace SagaDemo.Telemetry.Metrics;

/// <summary>
/// The <see cref="LabelSet"/> of each tag combination one instrument has reported. An instrument reports the same
/// few combinations over and over, in the same order, on the hot path of every message and request: finding the
/// label set by the raw tags spares the sorting, formatting and allocating of <see cref="LabelSet.From"/>.
/// </summary>
/// <remarks>
/// Bounded, so an instrument with unbounded tag values cannot grow it without limit; past the bound, label sets
/// are built afresh each time, which is correct, only slower.
/// </remarks>
public sealed class LabelSetCache(IReadOnlyList<KeyValuePair<string, object?>> instrumentTags, int capacity = 4096)
{
    private readonly ConcurrentDictionary<int, Entry[]> _byHash = new();
    private int _count;

    public LabelSet Resolve(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = Hash(tags);
        if (_byHash.TryGetValue(hash, out var entries))
            foreach (var entry in entries)
                if (entry.Matches(tags))
                    return entry.Labels;

        var labels = LabelSet.From(tags, instrumentTags);
        if (Volatile.Read(ref _count) < capacity)
        {
            var added = new Entry(tags.ToArray(), labels);
            _byHash.AddOrUpdate(hash, _ => [added], (_, existing) => [.. existing, added]);
            Interlocked.Increment(ref _count);
        }
        return labels;
    }

    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = new HashCode();
        foreach (var (name, value) in tags)
        {
            hash.Add(name);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    private sealed record Entry(KeyValuePair<string, object?>[] Tags, LabelSet Labels)
    {
        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != Tags.Length)
                return false;
            for (var i = 0; i < tags.Length; i++)
                if (!string.Equals(tags[i].Key, Tags[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, Tags[i].Value))
                    return false;
            return true;
        }
    }
}
