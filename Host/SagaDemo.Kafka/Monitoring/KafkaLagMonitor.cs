using System.Collections.Concurrent;
using System.Text.Json;

namespace SagaDemo.Kafka.Monitoring;

/// <summary>
/// Fed with librdkafka statistics JSON (statistics.interval.ms) by each consumer. Holds, per group, the
/// partitions that consumer currently fetches; a group's report replaces its previous one, so revoked
/// partitions drop out.
/// </summary>
public sealed class KafkaLagMonitor : IKafkaLagMonitor
{
    readonly ConcurrentDictionary<string, IReadOnlyList<PartitionLag>> _byGroup = new(StringComparer.Ordinal);

    public void Report(string group, string statisticsJson)
    {
        var lags = new List<PartitionLag>();
        using var document = JsonDocument.Parse(statisticsJson);
        if (!document.RootElement.TryGetProperty("topics", out var topics))
            return;
        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions))
                continue;
            foreach (var partition in partitions.EnumerateObject())
            {
                // Partition -1 is librdkafka's internal unassigned partition; lag -1 means unknown (not fetched).
                if (!int.TryParse(partition.Name, out var id) || id < 0)
                    continue;
                var p = partition.Value;
                if (!p.TryGetProperty("consumer_lag", out var lag) || lag.GetInt64() < 0)
                    continue;
                if (p.TryGetProperty("fetch_state", out var state) && state.GetString() is "none" or "stopped")
                    continue;
                lags.Add(new PartitionLag(group, topic.Name, id, lag.GetInt64()));
            }
        }
        _byGroup[group] = lags;
    }

    public void Forget(string group) => _byGroup.TryRemove(group, out _);

    public IReadOnlyList<PartitionLag> Snapshot() => _byGroup.Values.SelectMany(l => l).ToList();

    public long TotalLag(string group, string topic) =>
        _byGroup.TryGetValue(group, out var lags) ? lags.Where(l => l.Topic == topic).Sum(l => l.Lag) : 0;
}
