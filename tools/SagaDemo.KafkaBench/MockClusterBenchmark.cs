using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Confluent.Kafka;
using SagaDemo.Kafka.Embedded;

namespace SagaDemo.KafkaBench;

/// <summary>
/// Raw throughput of the embedded mock cluster with plain Confluent clients (no rider, no MassTransit):
/// the ceiling anything built on it can reach on this machine. Records carry a UUID key like the saga's.
/// </summary>
public static class MockClusterBenchmark
{
    public sealed record Result(int Records, int RecordsAlone, int RecordBytes, int Partitions, double ProduceSeconds, double ConsumeSeconds,
        double LoopSeconds)
    {
        public double ProducedPerSecond => RecordsAlone / ProduceSeconds;
        public double ConsumedPerSecond => RecordsAlone / ConsumeSeconds;

        /// <summary>Records produced and consumed at the same time, per second of the whole loop: the figure a saga's events compare to.</summary>
        public double LoopPerSecond => Records / LoopSeconds;

        public override string ToString() =>
            $"records={Records} size={RecordBytes}B partitions={Partitions} " +
            $"alone ({RecordsAlone} records): produce={ProducedPerSecond:F0}/s ({ProduceSeconds:F2}s, acks=all idempotent) " +
            $"consume={ConsumedPerSecond:F0}/s ({ConsumeSeconds:F2}s, one consumer) " +
            $"produce+consume loop ({Records} records)={LoopPerSecond:F0}/s ({LoopSeconds:F2}s)";

        public string ToJson() => JsonSerializer.Serialize(new
        {
            records = Records, recordsAlone = RecordsAlone, recordBytes = RecordBytes, partitions = Partitions,
            producedPerSecond = Math.Round(ProducedPerSecond), consumedPerSecond = Math.Round(ConsumedPerSecond),
            loopPerSecond = Math.Round(LoopPerSecond),
        });
    }

    static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    const int LoopWindow = 10_000;
    // A fifth below the mock's fixed retention, so nothing produced is deleted before it is read.
    const long RetainedBytesPerPartition = MockKafkaCluster.RetainedBytesPerPartition * 4 / 5;

    public static Result Run(int records = 100_000, int recordBytes = 200, int partitions = 6)
    {
        using var cluster = new MockKafkaCluster();
        var value = new byte[recordBytes];
        Random.Shared.NextBytes(value);
        var keys = Enumerable.Range(0, 1024).Select(_ => Guid.NewGuid().ToString("D")).ToArray();

        // Phase 1 and 2: produce, then read back, each side alone. The mock cluster keeps only about 5 MB per
        // partition (older segments are dropped), so this phase is capped to what it retains.
        var alone = (int)Math.Min(records, RetainedBytesPerPartition * partitions / Math.Max(recordBytes + 36, 1));
        cluster.CreateTopic("bench", partitions);
        var produce = Stopwatch.StartNew();
        using (var producer = Producer(cluster))
        {
            for (var i = 0; i < alone; i++)
                ProduceWithBackoff(producer, "bench", keys[i % keys.Length], value);
            producer.Flush(Deadline);
        }
        produce.Stop();
        var consume = Stopwatch.StartNew();
        ConsumeAll(cluster, "bench", partitions, alone);
        consume.Stop();

        // Phase 3: both at once on a fresh topic, the way a saga hop uses the cluster (each record produced, then
        // consumed). The producer stays at most LoopWindow records ahead of the consumer: a steady state, and
        // within what the mock cluster retains.
        cluster.CreateTopic("bench-loop", partitions);
        var consumed = new StrongBox<int>();
        var loop = Stopwatch.StartNew();
        var consumer = Task.Factory.StartNew(() => ConsumeAll(cluster, "bench-loop", partitions, records, consumed),
            TaskCreationOptions.LongRunning);
        using (var producer = Producer(cluster))
        {
            for (var i = 0; i < records; i++)
            {
                while (i - Volatile.Read(ref consumed.Value) > LoopWindow && !consumer.IsCompleted)
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                ProduceWithBackoff(producer, "bench-loop", keys[i % keys.Length], value);
            }
            producer.Flush(Deadline);
        }
        consumer.GetAwaiter().GetResult();
        loop.Stop();

        return new Result(records, alone, recordBytes, partitions, produce.Elapsed.TotalSeconds, consume.Elapsed.TotalSeconds,
            loop.Elapsed.TotalSeconds);
    }

    // Same delivery guarantees as the rider's producer (KafkaClientConfigs.Producer).
    static IProducer<string, byte[]> Producer(MockKafkaCluster cluster) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 2,
            QueueBufferingMaxMessages = 1_000_000,
        }).Build();

    static void ProduceWithBackoff(IProducer<string, byte[]> producer, string topic, string key, byte[] value)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<string, byte[]> { Key = key, Value = value });
                return;
            }
            catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    static void ConsumeAll(MockKafkaCluster cluster, string topic, int partitions, int records, StrongBox<int>? progress = null)
    {
        var seen = 0;
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers, GroupId = topic, EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var deadline = DateTime.UtcNow + Deadline;
        while (seen < records && DateTime.UtcNow < deadline)
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null })
            {
                seen++;
                if (progress is not null)
                    Volatile.Write(ref progress.Value, seen);
            }
        if (seen < records)
            throw new TimeoutException($"Consumed only {seen} of {records} records of {topic}.");
    }
}
