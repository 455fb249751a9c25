using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Confluent.Kafka;
using SagaDemo.Kafka.Configuration;
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

    /// <remarks>
    /// Every phase is timed from its consumer's first record to its last (the producer's from its first acknowledgement),
    /// so connecting, fetching metadata and the idempotent producer's id stay out of the figures: with only ~8,000 records
    /// in the phases alone, those start-up costs alone had moved produce-alone between 7,500 and 43,000 records/s.
    /// </remarks>
    public static Result Run(int records = 100_000, int recordBytes = 200, int partitions = 6)
    {
        using var cluster = new MockKafkaCluster();
        var value = new byte[recordBytes];
        Random.Shared.NextBytes(value);
        var keys = Enumerable.Range(0, 1024).Select(_ => Guid.NewGuid().ToString("D")).ToArray();
        var retained = RetainedBytesPerPartition * partitions / Math.Max(recordBytes + 36, 1);

        // Phase 1 and 2: produce, then read back, each side alone. The mock cluster keeps only about 5 MB per
        // partition (older segments are dropped), so this phase is capped to what it retains.
        var alone = (int)Math.Min(records, retained);
        cluster.CreateTopic("bench", partitions);
        TimeSpan produce;
        using (var producer = Producer(cluster))
        {
            // The first record, acknowledged, before the clock starts: connection, metadata, producer id.
            producer.ProduceAsync("bench", new Message<string, byte[]> { Key = keys[0], Value = value }).GetAwaiter().GetResult();
            var clock = Stopwatch.StartNew();
            for (var i = 1; i < alone; i++)
                ProduceWithBackoff(producer, "bench", keys[i % keys.Length], value);
            producer.Flush(Deadline);
            produce = clock.Elapsed;
        }
        var consume = ConsumeAll(cluster, "bench", partitions, alone);

        // Phase 3: both at once on a fresh topic, the way a saga hop uses the cluster (each record produced, then
        // consumed). The producer refills in chunks: whenever the consumer is more than half a window behind, it
        // produces up to a whole window ahead. Topping up record by record instead tied the producer's batches to the
        // consumer's last fetch (the mock answers one message set per fetch), and whichever batch size the run started
        // with fed itself: runs landed at 33,000 or 65,000 records/s. The window stays within what the mock retains.
        var window = (int)Math.Clamp(retained / 2, 2, LoopWindow);
        cluster.CreateTopic("bench-loop", partitions);
        var consumed = new StrongBox<int>();
        var consumer = Task.Factory.StartNew(() => ConsumeAll(cluster, "bench-loop", partitions, records, consumed),
            TaskCreationOptions.LongRunning);
        using (var producer = Producer(cluster))
        {
            for (var i = 0; i < records; i++)
            {
                if (i - Volatile.Read(ref consumed.Value) >= window)
                    while (i - Volatile.Read(ref consumed.Value) > window / 2 && !consumer.IsCompleted)
                        producer.Poll(TimeSpan.FromMilliseconds(1));
                ProduceWithBackoff(producer, "bench-loop", keys[i % keys.Length], value);
            }
            producer.Flush(Deadline);
        }
        var loop = consumer.GetAwaiter().GetResult();

        // Each phase timed over all its records but the first (the first started the clock).
        return new Result(records - 1, alone - 1, recordBytes, partitions, produce.TotalSeconds, consume.TotalSeconds, loop.TotalSeconds);
    }

    // The rider's own producer settings (KafkaClientConfigs.Producer: idempotent, acks=all, the default linger), with a
    // queue deep enough for a whole phase.
    static IProducer<string, byte[]> Producer(MockKafkaCluster cluster)
    {
        var config = KafkaClientConfigs.Producer(new KafkaOptions(), cluster.BootstrapServers);
        config.QueueBufferingMaxMessages = 1_000_000;
        config.StatisticsIntervalMs = 0;
        return new ProducerBuilder<string, byte[]>(config).Build();
    }

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

    /// <summary>Reads every record; the time from the first record to the last.</summary>
    static TimeSpan ConsumeAll(MockKafkaCluster cluster, string topic, int partitions, int records, StrongBox<int>? progress = null)
    {
        var seen = 0;
        // The rider's consumer settings on the embedded cluster: above all its short fetch wait. With librdkafka's default
        // (500 ms, which the mock always waits out on an empty fetch) every time the consumer caught up with the producer
        // cost up to half a second.
        var config = KafkaClientConfigs.Consumer(new KafkaOptions(), cluster.BootstrapServers, topic, embeddedCluster: true);
        config.EnableAutoCommit = false;
        config.StatisticsIntervalMs = 0;
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var deadline = DateTime.UtcNow + Deadline;
        Stopwatch? clock = null;
        while (seen < records && DateTime.UtcNow < deadline)
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null })
            {
                clock ??= Stopwatch.StartNew();
                seen++;
                if (progress is not null)
                    Volatile.Write(ref progress.Value, seen);
            }
        if (seen < records)
            throw new TimeoutException($"Consumed only {seen} of {records} records of {topic}.");
        return clock!.Elapsed;
    }
}
