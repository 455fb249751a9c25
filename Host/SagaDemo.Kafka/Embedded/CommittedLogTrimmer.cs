using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SagaDemo.Kafka.Consuming;

namespace SagaDemo.Kafka.Embedded;

/// <summary>
/// Deletes, on the in-process mock cluster, the records that every consumer group reading a topic has committed, less
/// <c>keepRecords</c> per partition. Committed offsets are the broker's own (OffsetFetch through the admin client); which
/// groups read which topic comes from this process's topic endpoints, because the mock answers neither ListGroups nor
/// DescribeGroups. A topic no endpoint reads (a dead-letter topic) and a partition some group has not committed are never
/// trimmed. Nothing a group still needs goes: its members fetch at or above its committed offset, so the log start never
/// passes their position (no OFFSET_OUT_OF_RANGE, no reported loss).
/// </summary>
public sealed class CommittedLogTrimmer
{
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    readonly MockKafkaCluster _cluster;
    readonly IAdminClient _admin;
    readonly int _keepRecords;
    readonly IReadOnlyDictionary<string, string[]> _groupsByTopic;
    readonly Dictionary<TopicPartition, long> _logStarts = [];

    public CommittedLogTrimmer(MockKafkaCluster cluster, IAdminClient admin, IEnumerable<TopicEndpoint> endpoints, int keepRecords)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepRecords);
        _cluster = cluster;
        _admin = admin;
        _keepRecords = keepRecords;
        _groupsByTopic = endpoints
            .SelectMany(e => e.Topics.Select(topic => (Topic: topic, e.Group)))
            .GroupBy(x => x.Topic, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Group).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Where a partition's log may start: the lowest offset its groups committed, less <paramref name="keepRecords"/>;
    /// null while any group has not committed (a negative offset), which keeps everything.
    /// </summary>
    public static long? TrimPoint(IReadOnlyCollection<long> committedByGroup, int keepRecords)
    {
        if (committedByGroup.Count == 0 || committedByGroup.Any(offset => offset < 0))
            return null;
        var point = committedByGroup.Min() - keepRecords;
        return point > 0 ? point : null;
    }

    /// <summary>One pass over every consumed topic; returns the partitions whose log start it moved, with the new start.</summary>
    public async Task<IReadOnlyList<TopicPartitionOffset>> TrimAsync(CancellationToken cancellationToken = default)
    {
        if (_groupsByTopic.Count == 0)
            return [];
        var partitions = ConsumedPartitions();
        var committed = new Dictionary<TopicPartition, List<long>>();
        foreach (var group in _groupsByTopic.Values.SelectMany(g => g).Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var its = partitions.Where(p => _groupsByTopic[p.Topic].Contains(group, StringComparer.Ordinal)).ToList();
            if (its.Count == 0)
                continue;
            var results = await _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, its)],
                new ListConsumerGroupOffsetsOptions { RequestTimeout = RequestTimeout });
            foreach (var partition in results.SelectMany(r => r.Partitions))
            {
                var offset = partition.Error.IsError ? -1 : partition.Offset.Value;
                if (!committed.TryGetValue(partition.TopicPartition, out var offsets))
                    committed[partition.TopicPartition] = offsets = [];
                offsets.Add(offset);
            }
        }

        var moved = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            if (!committed.TryGetValue(partition, out var offsets) || offsets.Count < _groupsByTopic[partition.Topic].Length)
                continue;
            if (TrimPoint(offsets, _keepRecords) is not { } point || point <= _logStarts.GetValueOrDefault(partition))
                continue;
            _cluster.DeleteRecords(partition.Topic, partition.Partition, point);
            _logStarts[partition] = point;
            moved.Add(new TopicPartitionOffset(partition, point));
        }
        return moved;
    }

    List<TopicPartition> ConsumedPartitions() =>
        _admin.GetMetadata(RequestTimeout).Topics
            .Where(t => !t.Error.IsError && _groupsByTopic.ContainsKey(t.Topic))
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
            .ToList();
}
