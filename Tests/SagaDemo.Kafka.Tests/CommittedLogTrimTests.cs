using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

/// <summary>
/// The embedded cluster deletes what every consumer group reading a topic has committed (<see cref="CommittedLogTrimmer"/>),
/// on the real mock cluster; kcat, an independent client, sees where each log now starts.
/// </summary>
public sealed class CommittedLogTrimTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Records_every_group_committed_are_deleted_less_the_kept_ones_and_kcat_reads_from_the_new_log_start()
    {
        var topic = Topic("trim");
        Produce(topic, 100);
        Commit("trim-a", topic, 60);
        using var admin = Admin();

        var trimmer = new CommittedLogTrimmer(kafka.Cluster, admin, [new TopicEndpoint("trim-a", [topic])], keepRecords: 10);
        var moved = await trimmer.TrimAsync();

        Assert.Equal([new TopicPartitionOffset(topic, 0, 50)], moved);
        Assert.Equal("50", FirstOffset(topic));
        // A second pass with no new commit moves nothing.
        Assert.Empty(await trimmer.TrimAsync());
    }

    [Fact]
    public async Task The_group_furthest_behind_decides_a_group_without_a_commit_keeps_everything_and_unread_topics_stay()
    {
        var shared = Topic("shared");
        var uncommitted = Topic("uncommitted");
        var deadLetters = Topic("dead-letters");
        foreach (var topic in new[] { shared, uncommitted, deadLetters })
            Produce(topic, 50);
        Commit("ahead", shared, 45);
        Commit("behind", shared, 20);
        Commit("ahead", uncommitted, 45);
        using var admin = Admin();

        var trimmer = new CommittedLogTrimmer(kafka.Cluster, admin,
            [new TopicEndpoint("ahead", [shared, uncommitted]), new TopicEndpoint("behind", [shared, uncommitted])], keepRecords: 0);
        var moved = await trimmer.TrimAsync();

        Assert.Equal([new TopicPartitionOffset(shared, 0, 20)], moved);
        Assert.Equal("20", FirstOffset(shared));
        Assert.Equal("0", FirstOffset(uncommitted));
        Assert.Equal("0", FirstOffset(deadLetters));
    }

    [Fact]
    public async Task A_host_trimming_as_it_goes_handles_every_record_once_loses_none_and_a_restart_resumes_where_it_stopped()
    {
        var topics = new TestTopics();
        kafka.Cluster.CreateTopic(topics.Commands, partitions: 1);
        var keys = Enumerable.Range(0, 16).Select(_ => Guid.NewGuid()).ToList();
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:EmbeddedLogTrim:Interval"] = "00:00:00.100",
            ["Kafka:EmbeddedLogTrim:KeepRecords"] = "0",
        };
        var log = new EffectLog();
        var sent = 0;

        for (var round = 0; round < 2; round++)
        {
            // Each round is a fresh process of the same group: it must find its committed position still in the log.
            await using var host = await RiderHost.StartAsync(kafka.Cluster, topics, log, settings: settings, trimCommittedRecords: true);
            for (var wave = 0; wave < 5; wave++)
            {
                await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands,
                    Enumerable.Range(sent, 100).Select(i => new TestCommand(keys[i % keys.Count], i, "x")));
                sent += 100;
                await Poll.UntilAsync(() => log.DistinctEffects == sent, TimeSpan.FromSeconds(30), () => $"{log.DistinctEffects} of {sent} handled");
            }
            // Everything is committed and nothing kept: the log empties to its end, and the next round's host starts there.
            await Poll.UntilAsync(() => LogStart(topics.Commands) == sent, TimeSpan.FromSeconds(30),
                () => $"log start {LogStart(topics.Commands)} after {sent} records");
            Assert.Equal(0, host.Host.Services.GetRequiredService<RecordLossMonitor>().TotalLost);
        }

        Assert.Equal(sent, log.DistinctEffects);
        Assert.Equal(0, log.DuplicateDeliveries);
    }

    [Fact]
    public async Task A_process_sharing_its_cluster_with_other_readers_trims_nothing()
    {
        var topics = new TestTopics();
        kafka.Cluster.CreateTopic(topics.Commands, partitions: 1);
        var key = Guid.NewGuid();
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics,
            settings: new Dictionary<string, string?> { ["Kafka:EmbeddedLogTrim:Interval"] = "00:00:00.100", ["Kafka:EmbeddedLogTrim:KeepRecords"] = "0" });

        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands, Enumerable.Range(0, 50).Select(i => new TestCommand(key, i, "x")));
        await Poll.UntilAsync(() => host.Log.DistinctEffects == 50, TimeSpan.FromSeconds(30), () => $"{host.Log.DistinctEffects} of 50 handled");
        await Poll.UntilAsync(() => RawKafka.Committed(kafka.Bootstrap, TestCommandConsumerDefinition.EndpointGroup, topics.Commands, 1)[0].Offset == 50,
            TimeSpan.FromSeconds(30), () => "offset 50 not committed");
        await Task.Delay(500); // five trim intervals

        Assert.Equal(0, LogStart(topics.Commands));
    }

    [Fact]
    public void Trim_point_is_the_lowest_commit_less_the_kept_records_and_none_while_a_group_has_not_committed()
    {
        Assert.Equal(20, CommittedLogTrimmer.TrimPoint([45, 30], keepRecords: 10));
        Assert.Null(CommittedLogTrimmer.TrimPoint([45, -1], keepRecords: 0));
        Assert.Null(CommittedLogTrimmer.TrimPoint([5], keepRecords: 10));
        Assert.Null(CommittedLogTrimmer.TrimPoint([], keepRecords: 0));
    }

    string Topic(string name)
    {
        var topic = $"{name}-{Guid.NewGuid():N}"[..24];
        kafka.Cluster.CreateTopic(topic, partitions: 1);
        return topic;
    }

    // One record per produce request, so each is a message set of its own, as the sagas' records mostly are.
    void Produce(string topic, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.Bootstrap, LingerMs = 0 }).Build();
        for (var i = 0; i < count; i++)
            producer.Produce(topic, new Message<Null, string> { Value = $"record {i}" });
        producer.Flush(TimeSpan.FromSeconds(10));
    }

    void Commit(string group, string topic, long offset)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.Bootstrap, GroupId = group }).Build();
        consumer.Commit([new TopicPartitionOffset(topic, 0, offset)]);
    }

    IAdminClient Admin() =>
        new AdminClientBuilder(KafkaClientConfigs.Admin(new KafkaOptions(), kafka.Bootstrap)).Build();

    long LogStart(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.Bootstrap, GroupId = "log-start" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10)).Low.Value;
    }

    // The first offset kcat reads from the beginning of the partition: the log start.
    string FirstOffset(string topic) =>
        Kcat.Run($"-C -b {kafka.Bootstrap} -t {topic} -o beginning -c 1 -e -q -f %o", TimeSpan.FromSeconds(20)).Trim();
}
