using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MassTransit.Serialization;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>Plain Confluent clients for feeding and reading topics in tests, independent of the rider.</summary>
public static class RawKafka
{
    public static Task ProduceCommandsAsync(string bootstrap, string topic, IEnumerable<TestCommand> commands) =>
        ProduceCommandsAsync(bootstrap, new TopicPartition(topic, Partition.Any), commands);

    /// <summary>To one partition, or with <see cref="Partition.Any"/> to the one the key's hash picks.</summary>
    public static Task ProduceCommandsAsync(string bootstrap, TopicPartition target, IEnumerable<TestCommand> commands) =>
        ProduceCommandsAsync(bootstrap, commands.Select(c => (target, c)));

    /// <summary>One producer for all: a new producer waits up to a second for its first topic's metadata.</summary>
    public static async Task ProduceCommandsAsync(string bootstrap, IEnumerable<(TopicPartition Target, TestCommand Command)> commands)
    {
        // Idempotent: tests inject Produce errors, and a plain producer's retried batch could land behind later
        // ones, breaking the per-key order the tests check on the consuming side.
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, EnableIdempotence = true })
            .Build();
        foreach (var (target, c) in commands)
            producer.Produce(target, new Message<string, byte[]>
            {
                Key = c.OperationId.ToString(),
                Value = JsonSerializer.SerializeToUtf8Bytes(c, SystemTextJsonMessageSerializer.Options),
            });
        producer.Flush(TimeSpan.FromSeconds(30));
        await Task.CompletedTask;
    }

    public static void ProduceRaw(string bootstrap, string topic, string? key, byte[] value, params (string Name, string Value)[] headers)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        var h = new Headers();
        foreach (var (name, v) in headers)
            h.Add(name, Encoding.UTF8.GetBytes(v));
        producer.ProduceAsync(topic, new Message<string?, byte[]> { Key = key, Value = value, Headers = h }).GetAwaiter().GetResult();
    }

    /// <summary>Reads a topic from the beginning until <paramref name="count"/> records arrived or the timeout passed.</summary>
    public static List<ConsumeResult<string?, byte[]>> Read(string bootstrap, string topic, int count, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        // Assigned, not subscribed: joining a group on the mock cluster waits out its initial rebalance delay.
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        }
        var records = new List<ConsumeResult<string?, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (records.Count < count && DateTime.UtcNow < deadline)
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } r)
                records.Add(r);
        return records;
    }

    public static string? Header(ConsumeResult<string?, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    /// <summary>The group's committed offsets, read without joining the group.</summary>
    public static List<TopicPartitionOffset> Committed(string bootstrap, string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build();
        return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10));
    }
}
