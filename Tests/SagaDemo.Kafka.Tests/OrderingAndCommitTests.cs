using Confluent.Kafka;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

public sealed class OrderingAndCommitTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Records_of_one_key_are_handled_in_order_while_keys_run_in_parallel()
    {
        var topics = new TestTopics();
        var behaviour = new TestBehaviour { BeforeEffect = c => Task.Delay(Random.Shared.Next(0, 3)) };
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics, behaviour: behaviour);
        var keys = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        const int perKey = 150;

        // Interleaved so each partition holds several keys: order must come from the key, not luck.
        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands,
            Enumerable.Range(0, perKey).SelectMany(i => keys.Select(k => new TestCommand(k, i, "x"))));
        await Poll.UntilAsync(() => host.Log.DistinctEffects == keys.Count * perKey, TimeSpan.FromSeconds(30),
            () => $"{host.Log.DistinctEffects} of {keys.Count * perKey} handled");

        foreach (var key in keys)
            Assert.Equal(Enumerable.Range(0, perKey), host.Log.FirstOrderByKey[key]);
        Assert.True(host.Log.MaxConcurrent > 1, "different keys should be handled in parallel");
        Assert.Equal(0, host.Log.DuplicateDeliveries);
    }

    [Fact]
    public async Task A_slow_record_holds_back_the_commit_of_later_offsets_in_its_partition()
    {
        var (topics, slowKey, gate) = (new TestTopics(), Guid.NewGuid(), new TaskCompletionSource());
        await using var host = await StartWithGatedKeyAsync(topics, slowKey, gate, concurrency: 16);

        // offset 0, 1: fast; offset 2: slow (own key, own lane); offsets 3..9: fast keys, finish first.
        var fast = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        var commands = fast.Take(2).Select(k => new TestCommand(k, 0, "fast"))
            .Append(new TestCommand(slowKey, 0, "slow"))
            .Concat(fast.Skip(2).Take(7).Select(k => new TestCommand(k, 0, "fast")));
        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands, commands);

        try
        {
            // A key waits only behind its own records, so every fast one is handled while the slow one waits.
            await Poll.UntilAsync(() => host.Log.DistinctEffects == 9, TimeSpan.FromSeconds(20), () => $"{host.Log.DistinctEffects} fast handled");
            // Offsets 0 and 1 get committed; then several checkpoint intervals pass and the commit must stay at the slow record.
            await Poll.UntilAsync(() => CommittedOffset(topics) == 2, TimeSpan.FromSeconds(10), () => $"committed {CommittedOffset(topics)}");
            await Task.Delay(TimeSpan.FromMilliseconds(800));
            Assert.Equal(2, CommittedOffset(topics));
        }
        finally
        {
            gate.TrySetResult();
        }
        await Poll.UntilAsync(() => host.Log.DistinctEffects == 10 && CommittedOffset(topics) == 10, TimeSpan.FromSeconds(10), () => $"committed {CommittedOffset(topics)}");
    }

    [Fact]
    public async Task A_slow_key_holds_one_slot_and_the_other_keys_pass_it()
    {
        var (topics, slowKey, gate) = (new TestTopics(), Guid.NewGuid(), new TaskCompletionSource());
        // Two at a time: with a lane per hash of the key, about half the other keys would share the slow key's lane
        // and wait behind it.
        await using var host = await StartWithGatedKeyAsync(topics, slowKey, gate, concurrency: 2);
        var others = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();

        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands,
            others.Take(20).Select(k => new TestCommand(k, 0, "fast")).Prepend(new TestCommand(slowKey, 0, "slow"))
                .Append(new TestCommand(slowKey, 1, "slow again")).Concat(others.Skip(20).Select(k => new TestCommand(k, 0, "fast"))));
        try
        {
            await Poll.UntilAsync(() => host.Log.DistinctEffects == others.Count, TimeSpan.FromSeconds(20),
                () => $"{host.Log.DistinctEffects} of {others.Count} other keys handled while the slow one waits");
            Assert.False(host.Log.FirstOrderByKey.ContainsKey(slowKey));
        }
        finally
        {
            gate.TrySetResult();
        }
        await Poll.UntilAsync(() => host.Log.DistinctEffects == others.Count + 2, TimeSpan.FromSeconds(10), () => $"{host.Log.DistinctEffects} handled");
        Assert.Equal([0, 1], host.Log.FirstOrderByKey[slowKey]);
    }

    /// <summary>A rider on a one-partition topic whose handler holds every record of <paramref name="slowKey"/> until <paramref name="gate"/> opens.</summary>
    async Task<RiderHost> StartWithGatedKeyAsync(TestTopics topics, Guid slowKey, TaskCompletionSource gate, int concurrency)
    {
        kafka.Cluster.CreateTopic(topics.Commands, partitions: 1);
        var behaviour = new TestBehaviour { BeforeEffect = c => c.OperationId == slowKey ? gate.Task : Task.CompletedTask };
        return await RiderHost.StartAsync(kafka.Cluster, topics, behaviour: behaviour, settings: new Dictionary<string, string?>
        {
            [$"Kafka:Endpoints:{TestCommandConsumerDefinition.EndpointGroup}:Concurrency"] = concurrency.ToString(),
        });
    }

    long CommittedOffset(TestTopics topics) =>
        RawKafka.Committed(kafka.Bootstrap, TestCommandConsumerDefinition.EndpointGroup, topics.Commands, 1).Single().Offset.Value;
}
