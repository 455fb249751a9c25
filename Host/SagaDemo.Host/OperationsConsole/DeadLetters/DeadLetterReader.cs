using Confluent.Kafka;
using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Host.RoleModules;
using SagaDemo.Kafka.Topology;
using SagaDemo.Services.Operations.DeadLetters;

namespace SagaDemo.Host.OperationsConsole.DeadLetters;

/// <summary>
/// Reads dead-letter topics with a consumer of its own: partitions assigned directly, never subscribed, never committed,
/// so it takes no part in any consumer group and moves no one's offsets. Each call reads afresh from the broker.
/// </summary>
public sealed class DeadLetterReader(KafkaBootstrap bootstrap, IOptions<KafkaOptions> options)
{
    /// <summary>How long a read waits for the broker before answering with what it has.</summary>
    static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The group id librdkafka wants to be configured; nothing joins or commits under it.</summary>
    public const string ReaderGroup = "sagademo-console";

    /// <summary>Every dead-letter topic: one per topic of the catalog.</summary>
    public static IReadOnlyList<string> Topics { get; } =
        [.. RoleCatalog.Topics.TopicNames.Order(StringComparer.Ordinal).Select(TopicCatalog.DeadLetterTopic)];

    public static bool IsDeadLetterTopic(string topic) => Topics.Contains(topic);

    /// <summary>The newest <paramref name="perPartition"/> records of each partition of <paramref name="topics"/>, newest first.</summary>
    public Task<IReadOnlyList<DeadLetterRecord>> ReadAsync(IEnumerable<string> topics, int perPartition, CancellationToken cancellationToken) =>
        Task.Run(() => Read([.. topics], perPartition, cancellationToken), cancellationToken);

    /// <summary>The record at <paramref name="at"/>, or null when there is none (never written, or removed by retention).</summary>
    public Task<DeadLetterRecord?> FindAsync(DeadLetterRef at, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var consumer = Consumer();
            var partition = new TopicPartition(at.Topic, at.Partition);
            var marks = Watermarks(consumer, partition);
            if (marks is null || at.Offset < marks.Low || at.Offset >= marks.High)
                return null;
            consumer.Assign(new TopicPartitionOffset(partition, at.Offset));
            // The offset is below the high watermark, so the record is there: wait for the fetch, however slow the broker.
            var deadline = DateTime.UtcNow + ReadTimeout;
            while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
                    return record.Offset.Value == at.Offset ? DeadLetterRecord.From(record) : null;
            throw new TimeoutException($"Kafka did not deliver {at} within {ReadTimeout.TotalSeconds} s.");
        }, cancellationToken);

    IReadOnlyList<DeadLetterRecord> Read(IReadOnlyList<string> topics, int perPartition, CancellationToken cancellationToken)
    {
        using var consumer = Consumer();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var remaining = new Dictionary<TopicPartition, long>();
        var starts = new List<TopicPartitionOffset>();
        foreach (var topic in topics)
        {
            var metadata = admin.GetMetadata(topic, ReadTimeout).Topics.FirstOrDefault();
            if (metadata is null || metadata.Error.IsError)
                continue;
            foreach (var p in metadata.Partitions)
            {
                var partition = new TopicPartition(topic, p.PartitionId);
                if (Watermarks(consumer, partition) is not { } marks || marks.High <= marks.Low)
                    continue;
                var start = Math.Max(marks.Low, marks.High - perPartition);
                starts.Add(new TopicPartitionOffset(partition, start));
                remaining[partition] = marks.High;
            }
        }
        var records = new List<DeadLetterRecord>();
        if (starts.Count == 0)
            return records;
        consumer.Assign(starts);
        var deadline = DateTime.UtcNow + ReadTimeout;
        while (remaining.Count > 0 && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
                continue;
            if (!record.IsPartitionEOF)
                records.Add(DeadLetterRecord.From(record));
            if (remaining.TryGetValue(record.TopicPartition, out var high) && record.Offset.Value + (record.IsPartitionEOF ? 0 : 1) >= high)
                remaining.Remove(record.TopicPartition);
        }
        return [.. records.OrderByDescending(r => r.Timestamp).ThenBy(r => r.Topic, StringComparer.Ordinal).ThenByDescending(r => r.Offset)];
    }

    sealed record Marks(long Low, long High);

    static Marks? Watermarks(IConsumer<string?, byte[]> consumer, TopicPartition partition)
    {
        try
        {
            var marks = consumer.QueryWatermarkOffsets(partition, ReadTimeout);
            return new Marks(marks.Low.Value, marks.High.Value);
        }
        catch (KafkaException)
        {
            // An unknown topic or partition has nothing to show.
            return null;
        }
    }

    IConsumer<string?, byte[]> Consumer()
    {
        var config = KafkaClientConfigs.Consumer(options.Value, bootstrap.BootstrapServers, ReaderGroup, bootstrap.EmbeddedCluster is not null);
        config.EnableAutoCommit = false;
        config.EnablePartitionEof = true;
        config.ClientId = $"{options.Value.ClientId}-console";
        return new ConsumerBuilder<string?, byte[]>(config).Build();
    }
}
