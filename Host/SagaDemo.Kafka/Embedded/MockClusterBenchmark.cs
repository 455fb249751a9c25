using System.Diagnostics;
using Confluent.Kafka;

namespace SagaDemo.Kafka.Embedded;

/// <summary>
/// Raw throughput of the embedded mock cluster with plain Confluent clients (no rider, no MassTransit):
/// the ceiling anything built on it can reach on this machine.
/// </summary>
public static class MockClusterBenchmark
{
    public sealed record Result(int Records, int RecordBytes, int Partitions, double ProduceSeconds, double ConsumeSeconds)
    {
        public double ProducedPerSecond => Records / ProduceSeconds;
        public double ConsumedPerSecond => Records / ConsumeSeconds;

        public override string ToString() =>
            $"records={Records} size={RecordBytes}B partitions={Partitions} " +
            $"produce={ProducedPerSecond:F0}/s ({ProduceSeconds:F2}s, acks=all idempotent) " +
            $"consume={ConsumedPerSecond:F0}/s ({ConsumeSeconds:F2}s, one consumer)";
    }

    // Key, headers and record-batch framing per record, roughly, on top of the value.
    const int RecordOverheadBytes = 70;

    /// <param name="partitions">
    /// Absent: 6, or more when the records would not fit the mock's per-partition retention
    /// (<see cref="MockKafkaCluster.RetainedBytesPerPartition"/>): past it the mock deletes the oldest records
    /// before they are read, and the consumer could never see them all (why 200,000 records "hung" on 6).
    /// </param>
    public static Result Run(int records = 100_000, int recordBytes = 200, int? partitions = null)
    {
        partitions ??= PartitionsToRetain(records, recordBytes);
        return Run(records, recordBytes, partitions.Value);
    }

    /// <summary>Partitions needed so that every record stays retained, with a fifth of headroom.</summary>
    public static int PartitionsToRetain(int records, int recordBytes)
    {
        var bytes = (long)records * (recordBytes + RecordOverheadBytes);
        var budget = MockKafkaCluster.RetainedBytesPerPartition * 4 / 5;
        return (int)Math.Max(6, (bytes + budget - 1) / budget);
    }

    static Result Run(int records, int recordBytes, int partitions)
    {
        using var cluster = new MockKafkaCluster();
        const string topic = "bench";
        cluster.CreateTopic(topic, partitions);
        var value = new byte[recordBytes];
        Random.Shared.NextBytes(value);

        var produce = Stopwatch.StartNew();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
               {
                   BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5,
                   QueueBufferingMaxMessages = 1_000_000,
               }).Build())
        {
            for (var i = 0; i < records; i++)
                producer.Produce(topic, new Message<string, byte[]> { Key = (i % 1024).ToString(), Value = value });
            producer.Flush(TimeSpan.FromMinutes(2));
        }
        produce.Stop();

        var consume = Stopwatch.StartNew();
        var seen = 0;
        using (var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
               {
                   BootstrapServers = cluster.BootstrapServers, GroupId = "bench", EnableAutoCommit = false,
               }).Build())
        {
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (seen < records && DateTime.UtcNow < deadline)
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null })
                    seen++;
        }
        consume.Stop();
        if (seen < records)
            throw new TimeoutException($"Consumed only {seen} of {records} records (the mock retains {MockKafkaCluster.RetainedBytesPerPartition} bytes per partition).");
        return new Result(records, recordBytes, partitions, produce.Elapsed.TotalSeconds, consume.Elapsed.TotalSeconds);
    }
}
