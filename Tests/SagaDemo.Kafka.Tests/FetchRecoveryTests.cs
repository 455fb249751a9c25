using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

/// <summary>Fetching goes on after injected Fetch errors, under back-pressure, and after a partition silently stops.</summary>
public sealed class FetchRecoveryTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    static Dictionary<string, string?> Endpoint(string key, string value) =>
        new() { [$"Kafka:Endpoints:{TestCommandConsumerDefinition.EndpointGroup}:{key}"] = value };

    [Fact]
    public async Task Fetch_errors_while_fetching_is_paused_and_resumed_lose_nothing_and_keep_key_order()
    {
        using var cluster = new MockKafkaCluster(); // own cluster: the injected errors hit every Fetch on it
        var topics = new TestTopics();
        // A small in-flight bound makes every partition pause and resume many times while the errors hit.
        await using var host = await RiderHost.StartAsync(cluster, topics,
            behaviour: new TestBehaviour { BeforeEffect = _ => Task.Delay(1) }, settings: Endpoint("MaxInFlight", "16"));
        var keys = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var all = Enumerable.Range(0, 50).SelectMany(i => keys.Select(k => new TestCommand(k, i, "x"))).ToList();

        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands, all.Take(500));
        await Poll.UntilAsync(() => host.Log.DistinctEffects > 100, TimeSpan.FromSeconds(20), () => "consumption did not start");
        cluster.PushRequestErrors(KafkaApiKey.Fetch, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut,
            ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands, all.Skip(500));

        await Poll.UntilAsync(() => host.Log.DistinctEffects == all.Count, TimeSpan.FromSeconds(40),
            () => $"{host.Log.DistinctEffects} of {all.Count} handled after the Fetch errors");
        foreach (var key in keys)
            Assert.Equal(Enumerable.Range(0, 50), host.Log.FirstOrderByKey[key]);
    }

    [Fact]
    public async Task Under_back_pressure_a_partition_with_a_backlog_does_not_starve_the_others()
    {
        var topics = new TestTopics();
        kafka.Cluster.CreateTopic(topics.Commands, partitions: 4);
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics,
            behaviour: new TestBehaviour { BeforeEffect = _ => Task.Delay(1) }, settings: Endpoint("MaxInFlight", "16"));
        var busy = Guid.NewGuid();
        var others = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
        // The backlog in partition 0 is produced first, so it leads every fetch from the moment consumption starts;
        // the other keys sit in partitions 1..3, where nothing but fetching order holds them back.
        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap,
            Enumerable.Range(0, 1500).Select(i => (new TopicPartition(topics.Commands, 0), new TestCommand(busy, i, "x")))
                .Concat(others.Select((k, i) => (new TopicPartition(topics.Commands, 1 + i % 3), new TestCommand(k, 0, "x")))));

        await Poll.UntilAsync(() => others.All(k => host.Log.Has(k, 0)), TimeSpan.FromSeconds(30),
            () => $"{others.Count(k => host.Log.Has(k, 0))} of {others.Count} other keys handled");
        var busyDone = host.Log.FirstOrderByKey.TryGetValue(busy, out var done) ? done.Count : 0;
        Assert.True(busyDone < 1500, $"the other partitions waited for the whole backlog ({busyDone} of it handled first)");
        await Poll.UntilAsync(() => host.Log.DistinctEffects == 1500 + others.Count, TimeSpan.FromSeconds(60),
            () => $"{host.Log.DistinctEffects} handled");
    }

    [Fact]
    public void The_watchdog_restarts_a_partition_that_stopped_fetching_with_records_waiting_and_leaves_an_idle_one_alone()
    {
        const string topic = "watchdog-stall";
        kafka.Cluster.CreateTopic(topic, partitions: 2);
        var stalled = new TopicPartition(topic, 0);
        var idle = new TopicPartition(topic, 1);
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.Bootstrap, GroupId = "watchdog-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Assign([new TopicPartitionOffset(stalled, Offset.Beginning), new TopicPartitionOffset(idle, Offset.Beginning)]);
        var watchdog = new StalledPartitionWatchdog(TimeSpan.FromSeconds(1), NullLogger.Instance, "test");
        watchdog.Assigned([stalled, idle]);
        var offsets = new List<long>();

        Produce(0, 10);
        Drain(TimeSpan.FromSeconds(10), until: () => offsets.Count == 10);
        // librdkafka's pause flag set without the rider knowing, as when a resume is dropped as outdated.
        consumer.Pause([stalled]);
        Produce(10, 10);
        Drain(TimeSpan.FromSeconds(15), until: () => offsets.Count == 20);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), offsets);
        Assert.Contains(stalled, watchdog.Restarted);
        Assert.DoesNotContain(idle, watchdog.Restarted); // silent just as long, but with nothing waiting

        void Produce(int from, int count)
        {
            using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = kafka.Bootstrap }).Build();
            for (var i = from; i < from + count; i++)
                producer.Produce(stalled, new Message<string?, byte[]> { Value = BitConverter.GetBytes(i) });
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        void Drain(TimeSpan timeout, Func<bool> until)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!until() && DateTime.UtcNow < deadline)
            {
                watchdog.Check(consumer, _ => false);
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } r)
                {
                    watchdog.Received(r.TopicPartitionOffset);
                    offsets.Add(r.Offset.Value);
                }
            }
        }
    }
}
