using Confluent.Kafka;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

public sealed class ResilienceTests
{
    [Fact]
    public async Task A_broker_outage_and_request_errors_lose_nothing_and_consumption_resumes()
    {
        using var cluster = new MockKafkaCluster();
        var topics = new TestTopics();
        await using var host = await RiderHost.StartAsync(cluster, topics,
            behaviour: new TestBehaviour { BeforeEffect = _ => Task.Delay(1) });
        var keys = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var all = Enumerable.Range(0, 100).SelectMany(i => keys.Select(k => new TestCommand(k, i, "x"))).ToList();

        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands, all.Take(1000));
        await Poll.UntilAsync(() => host.Log.DistinctEffects > 100, TimeSpan.FromSeconds(20), () => "consumption did not start");

        cluster.SetBrokerDown(1);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outage itself: a duration, not a wait for a condition
        cluster.SetBrokerUp(1);
        cluster.PushRequestErrors(KafkaApiKey.Fetch, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
        cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.RequestTimedOut, ErrorCode.GroupCoordinatorNotAvailable);
        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands, all.Skip(1000));

        await Poll.UntilAsync(() => host.Log.DistinctEffects == all.Count, TimeSpan.FromSeconds(40),
            () => $"{host.Log.DistinctEffects} of {all.Count} handled after the outage");
        foreach (var key in keys)
            Assert.Equal(Enumerable.Range(0, 100), host.Log.FirstOrderByKey[key]);
        // Every command's echo reached Kafka exactly once per handled delivery (idempotent producer: no retry duplicates).
        var echoes = RawKafka.Read(cluster.BootstrapServers, topics.Echoes, host.Log.Deliveries + 1, TimeSpan.FromSeconds(5));
        Assert.Equal(host.Log.Deliveries, echoes.Count);
        Assert.Equal(all.Count, echoes.Select(e => e.Message.Value).Select(v => Convert.ToHexString(v)).Distinct().Count());
    }

    [Fact]
    public async Task A_consumer_joining_and_leaving_under_load_loses_nothing_and_keeps_key_order()
    {
        using var cluster = new MockKafkaCluster();
        var topics = new TestTopics();
        var log = new EffectLog(); // both "processes" apply effects to one idempotent store
        var slow = new TestBehaviour { BeforeEffect = _ => Task.Delay(2) };
        // A small in-flight bound keeps both consumers in back-pressure (paused fetching) across the rebalances,
        // as a loaded machine would: paused partitions must be fetched again after they move.
        // The mock cluster waits about the session timeout for members to rejoin, and a joining member often takes
        // two or three rounds: 5 s instead of 10 s keeps the rebalances, not the records, from eating the deadlines.
        var settings = new Dictionary<string, string?>
        {
            [$"Kafka:Endpoints:{TestCommandConsumerDefinition.EndpointGroup}:MaxInFlight"] = "16",
            ["Kafka:SessionTimeout"] = "00:00:05",
        };
        await using var first = await RiderHost.StartAsync(cluster, topics, log, slow, settings);
        var keys = Enumerable.Range(0, 24).Select(_ => Guid.NewGuid()).ToList();
        var all = Enumerable.Range(0, 60).SelectMany(i => keys.Select(k => new TestCommand(k, i, "x"))).ToList();

        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands, all.Take(all.Count / 2));
        await Poll.UntilAsync(() => log.DistinctEffects > 50, TimeSpan.FromSeconds(20), () => "consumption did not start");

        var second = await RiderHost.StartAsync(cluster, topics, log, slow, settings);
        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands, all.Skip(all.Count / 2));
        await Poll.UntilAsync(() => log.DistinctEffects > all.Count * 3 / 4, TimeSpan.FromSeconds(30), () => $"{log.DistinctEffects} handled");
        await second.DisposeAsync(); // leaves the group mid-stream: its partitions move back

        await Poll.UntilAsync(() => log.DistinctEffects == all.Count, TimeSpan.FromSeconds(40),
            () => $"{log.DistinctEffects} of {all.Count} handled after the rebalances");
        foreach (var key in keys)
            Assert.Equal(Enumerable.Range(0, 60), log.FirstOrderByKey[key]);
        // Delivery is at-least-once: the mock cluster refuses the drain-then-commit on revocation with
        // REBALANCE_IN_PROGRESS (real brokers accept it), so a moved partition replays from the last
        // checkpoint. Effects stay exactly-once through the idempotent handler; replays keep key order above.
        Assert.Equal(all.Count, log.DistinctEffects);
        Assert.True(log.Deliveries >= all.Count);
    }
}
