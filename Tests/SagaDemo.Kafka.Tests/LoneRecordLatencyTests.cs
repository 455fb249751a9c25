using System.Diagnostics;
using Confluent.Kafka;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;

namespace SagaDemo.Kafka.Tests;

/// <summary>
/// A record produced while nothing else moves reaches an idle consumer quickly with the rider's own client settings on
/// the in-process mock cluster, which never wakes a waiting fetch: only a short fetch wait and linger keep each saga hop
/// short. The bound is loose on purpose (a busy CI machine); the hop timings themselves are the benchmark's
/// (scripts/bench/hops.py). With librdkafka's default 500 ms fetch wait the median is about 250 ms and this fails.
/// </summary>
public sealed class LoneRecordLatencyTests
{
    static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(150);

    [Fact]
    public void A_lone_record_reaches_an_idle_consumer_within_a_bound()
    {
        using var cluster = new MockKafkaCluster();
        const string topic = "lone-records";
        cluster.CreateTopic(topic, 1);
        var options = new KafkaOptions();
        using var producer = new ProducerBuilder<string?, byte[]>(KafkaClientConfigs.Producer(options, cluster.BootstrapServers)).Build();
        using var consumer = new ConsumerBuilder<string?, byte[]>(
            KafkaClientConfigs.Consumer(options, cluster.BootstrapServers, "lone-records-group", embeddedCluster: true)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));

        // The first record connects everything; the measured ones each arrive at a consumer that has been idle a while.
        Assert.NotNull(SendAndReceive(producer, consumer, topic, TimeSpan.FromSeconds(30)));
        var times = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            Thread.Sleep(Random.Shared.Next(30, 80)); // lands anywhere within a waiting fetch
            times.Add(SendAndReceive(producer, consumer, topic, TimeSpan.FromSeconds(10))
                ?? throw new TimeoutException("a lone record did not arrive within 10 s"));
        }

        var median = times.Order().ElementAt(times.Count / 2);
        Assert.True(median < Bound, $"median {median.TotalMilliseconds:F1} ms from produce to consume, over {Bound.TotalMilliseconds} ms " +
            $"(all: {string.Join(", ", times.Select(t => t.TotalMilliseconds.ToString("F1")))})");
    }

    static TimeSpan? SendAndReceive(IProducer<string?, byte[]> producer, IConsumer<string?, byte[]> consumer, string topic, TimeSpan timeout)
    {
        var key = Guid.NewGuid().ToString("D");
        var clock = Stopwatch.StartNew();
        producer.Produce(topic, new Message<string?, byte[]> { Key = key, Value = [1, 2, 3] });
        while (clock.Elapsed < timeout)
            if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { Message.Key: var got } && got == key)
                return clock.Elapsed;
        return null;
    }
}
