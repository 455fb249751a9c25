using System.Text;
using Confluent.Kafka;

namespace SagaDemo.Testing;

/// <summary>Reads whole topics (every partition up to its current end), without joining a group.</summary>
public static class TopicDump
{
    public sealed record Record(string Topic, int Partition, string? Key, string Value, IReadOnlyDictionary<string, string> Headers,
        long Offset = -1);

    public static List<Record> ReadAll(string bootstrap, IEnumerable<string> topics)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "dump-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        var records = new List<Record>();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        foreach (var topic in topics)
        {
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
            if (metadata.Error.IsError)
                continue; // never created: nothing was written to it
            var ends = new Dictionary<int, long>();
            foreach (var p in metadata.Partitions)
            {
                var high = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value;
                if (high > 0)
                    ends[p.PartitionId] = high;
            }
            if (ends.Count == 0)
                continue;
            consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            var remaining = new HashSet<int>(ends.Keys);
            while (remaining.Count > 0 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { Message: not null } r)
                    continue;
                records.Add(new Record(r.Topic, r.Partition.Value, r.Message.Key, Encoding.UTF8.GetString(r.Message.Value),
                    r.Message.Headers.ToDictionary(h => h.Key, h => Encoding.UTF8.GetString(h.GetValueBytes())), r.Offset.Value));
                if (r.Offset.Value + 1 >= ends[r.Partition.Value])
                    remaining.Remove(r.Partition.Value);
            }
            if (remaining.Count > 0)
                throw new TimeoutException($"Could not read {topic} to its end");
            consumer.Unassign();
        }
        return records;
    }
}
