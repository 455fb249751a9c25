using System.Collections.Concurrent;
using System.Text.Json;

namespace SagaDemo.Kafka.Monitoring;

/// <summary>
/// Fed with librdkafka statistics JSON (statistics.interval.ms) by each consumer. Holds, per group, the
/// partitions that consumer currently fetches (lag and log-end offset) and its group membership state; a
/// group's report replaces its previous one, so revoked partitions drop out.
/// </summary>
public sealed class KafkaLagMonitor(TimeProvider? clock = null) : IKafkaLagMonitor
{
    sealed record GroupReport(IReadOnlyList<PartitionLag> Lags, IReadOnlyList<PartitionEndOffset> EndOffsets, GroupMemberState State);

    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly ConcurrentDictionary<string, GroupReport> _byGroup = new(StringComparer.Ordinal);

    public void Report(string group, string statisticsJson)
    {
        var lags = new List<PartitionLag>();
        var ends = new List<PartitionEndOffset>();
        using var document = JsonDocument.Parse(statisticsJson);
        var root = document.RootElement;
        if (root.TryGetProperty("topics", out var topics))
            foreach (var topic in topics.EnumerateObject())
            {
                if (!topic.Value.TryGetProperty("partitions", out var partitions))
                    continue;
                foreach (var partition in partitions.EnumerateObject())
                {
                    // Partition -1 is librdkafka's internal unassigned partition.
                    if (!int.TryParse(partition.Name, out var id) || id < 0)
                        continue;
                    var p = partition.Value;
                    // "none"/"stopped": not fetched by this member (revoked or never assigned); its numbers are stale.
                    if (p.TryGetProperty("fetch_state", out var state) && state.GetString() is "none" or "stopped")
                        continue;
                    // -1001 (invalid) until the first fetch response tells the high watermark.
                    if (p.TryGetProperty("hi_offset", out var hi) && hi.GetInt64() >= 0)
                        ends.Add(new PartitionEndOffset(topic.Name, id, hi.GetInt64()));
                    // consumer_lag = end - committed offset (kafka_exporter's meaning); -1 when unknown.
                    if (p.TryGetProperty("consumer_lag", out var lag) && lag.GetInt64() >= 0)
                        lags.Add(new PartitionLag(group, topic.Name, id, lag.GetInt64()));
                }
            }
        _byGroup[group] = new GroupReport(lags, ends, MemberState(group, root));
    }

    GroupMemberState MemberState(string group, JsonElement root)
    {
        string state = "", joinState = "";
        var assigned = 0;
        if (root.TryGetProperty("cgrp", out var cgrp))
        {
            state = cgrp.TryGetProperty("state", out var s) ? s.GetString() ?? "" : "";
            joinState = cgrp.TryGetProperty("join_state", out var j) ? j.GetString() ?? "" : "";
            assigned = cgrp.TryGetProperty("assignment_size", out var a) ? a.GetInt32() : 0;
        }
        var brokersUp = 0;
        if (root.TryGetProperty("brokers", out var brokers))
            foreach (var broker in brokers.EnumerateObject())
                // Only real brokers: librdkafka also lists its internal ":0/internal" pseudo-broker (nodeid -1).
                if (broker.Value.TryGetProperty("nodeid", out var node) && node.GetInt32() >= 0
                    && broker.Value.TryGetProperty("state", out var bs) && bs.GetString() == "UP")
                    brokersUp++;
        return new GroupMemberState(group, state, joinState, assigned, brokersUp, _clock.GetUtcNow());
    }

    public void Forget(string group) => _byGroup.TryRemove(group, out _);

    public IReadOnlyList<PartitionLag> Snapshot() => _byGroup.Values.SelectMany(r => r.Lags).ToList();

    public long TotalLag(string group, string topic) =>
        _byGroup.TryGetValue(group, out var r) ? r.Lags.Where(l => l.Topic == topic).Sum(l => l.Lag) : 0;

    // Two groups of this process reading one topic both see its end: one series per partition, the newest (largest).
    public IReadOnlyList<PartitionEndOffset> EndOffsets() =>
        _byGroup.Values.SelectMany(r => r.EndOffsets)
            .GroupBy(e => (e.Topic, e.Partition))
            .Select(g => g.MaxBy(e => e.Offset)!)
            .ToList();

    public GroupMemberState? GroupState(string group) => _byGroup.TryGetValue(group, out var r) ? r.State : null;
}
