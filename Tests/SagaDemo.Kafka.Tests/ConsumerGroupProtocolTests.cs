using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

/// <summary>KIP-848's consumer group protocol (<c>Kafka:GroupProtocol=consumer</c>) on the mock cluster, which serves it.</summary>
public sealed class ConsumerGroupProtocolTests
{
    const string Group = TestCommandConsumerDefinition.EndpointGroup;

    [Fact]
    public async Task A_group_joins_records_flow_and_a_second_member_takes_over_partitions_with_nothing_lost_or_reordered()
    {
        using var cluster = new MockKafkaCluster();
        var topics = new TestTopics();
        var log = new EffectLog(); // both members apply effects to one idempotent store
        var slow = new TestBehaviour { BeforeEffect = _ => Task.Delay(2) };
        // A small in-flight bound keeps fetching paused and resumed while partitions move.
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:GroupProtocol"] = "consumer",
            [$"Kafka:Endpoints:{Group}:MaxInFlight"] = "16",
        };
        await using var first = await RiderHost.StartAsync(cluster, topics, log, slow, settings);
        var keys = Enumerable.Range(0, 24).Select(_ => Guid.NewGuid()).ToList();
        var all = Enumerable.Range(0, 60).SelectMany(i => keys.Select(k => new TestCommand(k, i, "x"))).ToList();

        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands, all.Take(all.Count / 2));
        await Poll.UntilAsync(() => log.DistinctEffects > 50, TimeSpan.FromSeconds(20), () => "consumption did not start");
        // RiderHost creates 4 partitions; the only member holds them all.
        await Poll.UntilAsync(() => State(first) is { Joined: true, AssignedPartitions: 4 }, TimeSpan.FromSeconds(10), () => $"first {State(first)}");

        await using var second = await RiderHost.StartAsync(cluster, topics, log, slow, settings);
        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands, all.Skip(all.Count / 2));
        // The coordinator moves partitions to the newcomer; the statistics (every second) show both members holding some.
        await Poll.UntilAsync(() => State(first) is { Joined: true, AssignedPartitions: > 0 } a && State(second) is { Joined: true, AssignedPartitions: > 0 } b
                                    && a.AssignedPartitions + b.AssignedPartitions == 4,
            TimeSpan.FromSeconds(20), () => $"first {State(first)}, second {State(second)}");

        await Poll.UntilAsync(() => log.DistinctEffects == all.Count, TimeSpan.FromSeconds(40),
            () => $"{log.DistinctEffects} of {all.Count} handled after the rebalance");
        foreach (var key in keys)
            Assert.Equal(Enumerable.Range(0, 60), log.FirstOrderByKey[key]);
        // The drain-then-commit on revocation holds under this protocol on the mock (it accepts commits during the move,
        // unlike the classic protocol's rebalance): the new owner starts after the last finished record, none comes twice.
        Assert.Equal(all.Count, log.Deliveries);
    }

    static GroupMemberState? State(RiderHost host) => host.Host.Services.GetRequiredService<IKafkaLagMonitor>().GroupState(Group);
}
