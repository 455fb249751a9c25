using Confluent.Kafka;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Bounds the records fetched but not finished by pausing fetching, per partition: each assigned partition may
/// hold an equal share of <c>MaxInFlight</c> records and of <c>MaxInFlightBytes</c> bytes; at either share it pauses,
/// once below half of both it resumes. The byte share bounds memory when records are large. Per partition, not
/// all at once, because librdkafka drops a paused partition's prefetched records and fetches them again on
/// resume: a consumer-wide pause would refill from whichever partition librdkafka lists first and starve the
/// others while that one has a backlog.
/// </summary>
/// <remarks>
/// librdkafka (2.0.2 and 2.16 alike: a rebalance clears only its own pause flag, not the application's) keeps a
/// partition's pause flag across revocation and re-assignment, so a partition paused when it moved away would, on
/// coming back, never be fetched again unless resumed. The paused set is therefore remembered here across
/// assignments, and a returning partition is resumed as soon as its share allows. Only partitions known to be paused
/// are resumed (on 2.0.2 a resume of an unpaused one threw away what it prefetched; 2.16 ignores it). Used only by
/// the poll thread.
/// </remarks>
public sealed class FetchBackPressure(int maxInFlight, Func<TopicPartition, int> inFlight,
    long maxInFlightBytes = long.MaxValue, Func<TopicPartition, long>? inFlightBytes = null)
{
    readonly Func<TopicPartition, long> _inFlightBytes = inFlightBytes ?? (_ => 0);

    readonly HashSet<TopicPartition> _paused = [];
    readonly HashSet<TopicPartition> _assigned = [];
    bool _assignmentChanged = true;

    /// <summary>Partitions whose librdkafka pause flag we set (assigned or not).</summary>
    public IReadOnlyCollection<TopicPartition> Paused => _paused;

    public bool IsPaused(TopicPartition partition) => _paused.Contains(partition);

    /// <summary>Called from the rebalance callbacks; the next <see cref="Apply"/> reads the new assignment.</summary>
    public void AssignmentChanged() => _assignmentChanged = true;

    int Share => Math.Max(1, maxInFlight / Math.Max(1, _assigned.Count));

    long ByteShare => Math.Max(1, maxInFlightBytes / Math.Max(1, _assigned.Count));

    bool AtShare(TopicPartition tp, int share, long byteShare) => inFlight(tp) >= share || _inFlightBytes(tp) >= byteShare;

    bool BelowHalf(TopicPartition tp, int share, long byteShare) => inFlight(tp) <= share / 2 && _inFlightBytes(tp) <= byteShare / 2;

    /// <summary>
    /// Pauses <paramref name="fetched"/> if it reached its share, resumes paused partitions that drained to half.
    /// Returns what changed; <c>WakeFetcher</c> when it resumed while every partition was paused, because then
    /// librdkafka's broker thread sleeps up to a second before it notices the resume.
    /// </summary>
    public (List<TopicPartition> Paused, List<TopicPartition> Resumed, bool WakeFetcher) Apply(IConsumer<string?, byte[]> consumer, TopicPartition? fetched)
    {
        if (_assignmentChanged)
        {
            _assignmentChanged = false;
            _assigned.Clear();
            _assigned.UnionWith(consumer.Assignment);
        }

        List<TopicPartition> paused = [];
        List<TopicPartition> resumed = [];
        var share = Share;
        var byteShare = ByteShare;
        if (fetched is not null && !_paused.Contains(fetched) && _assigned.Contains(fetched) && AtShare(fetched, share, byteShare))
        {
            consumer.Pause([fetched]);
            _paused.Add(fetched);
            paused.Add(fetched);
        }
        var allPaused = AllPaused;
        foreach (var tp in _paused)
            if (_assigned.Contains(tp) && BelowHalf(tp, share, byteShare))
                resumed.Add(tp);
        if (resumed.Count > 0)
        {
            consumer.Resume(resumed);
            _paused.ExceptWith(resumed);
        }
        return (paused, resumed, allPaused && resumed.Count > 0);
    }

    /// <summary>True when every assigned partition is paused: librdkafka's fetcher then sleeps up to a second.</summary>
    public bool AllPaused => _assigned.Count > 0 && _assigned.All(_paused.Contains);
}
