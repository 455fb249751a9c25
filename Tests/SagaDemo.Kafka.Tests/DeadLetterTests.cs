using System.Text;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Tests.Support;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Tests;

public sealed class DeadLetterTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_record_whose_handler_keeps_failing_goes_to_the_dead_letter_topic_and_later_records_flow()
    {
        var topics = new TestTopics();
        kafka.Cluster.CreateTopic(topics.Commands, partitions: 1);
        var poisoned = Guid.NewGuid();
        var attempts = 0;
        var behaviour = new TestBehaviour
        {
            BeforeEffect = c =>
            {
                if (c.OperationId != poisoned)
                    return Task.CompletedTask;
                Interlocked.Increment(ref attempts);
                throw new InvalidOperationException("warehouse on fire");
            },
        };
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics, behaviour: behaviour);
        var after = Guid.NewGuid();

        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands,
            [new TestCommand(Guid.NewGuid(), 0, "before"), new TestCommand(poisoned, 0, "poison"), new TestCommand(after, 0, "after")]);
        await Poll.UntilAsync(() => host.Log.Has(after, 0), TimeSpan.FromSeconds(20), () => "record after the poisoned one not handled");

        var dead = Assert.Single(RawKafka.Read(kafka.Bootstrap, topics.DeadLetters, 2, TimeSpan.FromSeconds(3)));
        Assert.Equal(poisoned.ToString(), dead.Message.Key);
        Assert.Contains("poison", Encoding.UTF8.GetString(dead.Message.Value));
        Assert.Equal("warehouse on fire", RawKafka.Header(dead, KafkaHeaderNames.DeadLetterError));
        Assert.Equal(typeof(InvalidOperationException).FullName, RawKafka.Header(dead, KafkaHeaderNames.DeadLetterExceptionType));
        Assert.Equal(topics.Commands, RawKafka.Header(dead, KafkaHeaderNames.DeadLetterTopic));
        Assert.Equal("0", RawKafka.Header(dead, KafkaHeaderNames.DeadLetterPartition));
        Assert.Equal("1", RawKafka.Header(dead, KafkaHeaderNames.DeadLetterOffset));
        Assert.Equal(TestCommandConsumerDefinition.EndpointGroup, RawKafka.Header(dead, KafkaHeaderNames.DeadLetterConsumerGroup));
        Assert.Equal(3, attempts); // the endpoint's retry policy (Immediate(2)) ran before giving up
        await Poll.UntilAsync(() => RawKafka.Committed(kafka.Bootstrap, TestCommandConsumerDefinition.EndpointGroup, topics.Commands, 1)
            .Single().Offset.Value == 3, TimeSpan.FromSeconds(10), () => "offsets not committed past the dead letter");
    }

    [Fact]
    public async Task Records_that_cannot_be_read_go_to_the_dead_letter_topic()
    {
        var topics = new TestTopics();
        kafka.Cluster.CreateTopic(topics.Commands, partitions: 1);
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics);
        var good = Guid.NewGuid();

        // Keyed by UUIDs as the wire contract wants (BadRecordTests covers bad keys): each is refused for its value or type.
        string[] keys = [.. Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString())];
        RawKafka.ProduceRaw(kafka.Bootstrap, topics.Commands, keys[0], "{not json"u8.ToArray());
        RawKafka.ProduceRaw(kafka.Bootstrap, topics.Commands, keys[1], Encoding.UTF8.GetBytes($$"""{"operationId":"{{keys[1]}}"}"""));
        RawKafka.ProduceRaw(kafka.Bootstrap, topics.Commands, keys[2], Encoding.UTF8.GetBytes($$"""{"operationId":"{{keys[2]}}","sequence":1,"payload":"x"}"""),
            (KafkaHeaderNames.MessageType, "NoSuchType"));
        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands, [new TestCommand(good, 0, "good")]);

        await Poll.UntilAsync(() => host.Log.Has(good, 0), TimeSpan.FromSeconds(20), () => "good record after bad ones not handled");
        var dead = RawKafka.Read(kafka.Bootstrap, topics.DeadLetters, 4, TimeSpan.FromSeconds(3));
        Assert.Equal(keys.Order(), dead.Select(d => d.Message.Key ?? "").Order()); // different keys: parallel lanes
        Assert.All(dead, d => Assert.Equal(typeof(UnreadableRecordException).FullName, RawKafka.Header(d, KafkaHeaderNames.DeadLetterExceptionType)));
        Assert.Contains("is an invalid start of a property name", RawKafka.Header(dead.Single(d => d.Message.Key == keys[0]), KafkaHeaderNames.DeadLetterError));
        Assert.Contains("missing required properties", RawKafka.Header(dead.Single(d => d.Message.Key == keys[1]), KafkaHeaderNames.DeadLetterError));
        Assert.Contains("NoSuchType", RawKafka.Header(dead.Single(d => d.Message.Key == keys[2]), KafkaHeaderNames.DeadLetterError));
        Assert.Equal(1, host.Log.Deliveries);
    }

    [Fact]
    public async Task A_record_whose_dead_letter_copy_kafka_keeps_refusing_is_given_up_after_a_bound_and_the_partition_goes_on()
    {
        var topics = new TestTopics();
        kafka.Cluster.CreateTopic(topics.Commands, partitions: 1);
        RawKafka.ProduceRaw(kafka.Bootstrap, topics.Commands, Guid.NewGuid().ToString(), "{not json"u8.ToArray());
        // From now on the broker refuses every produce for good, the dead-letter copy's included (an ACL missing).
        kafka.Cluster.PushRequestErrors(Embedded.KafkaApiKey.Produce, [.. Enumerable.Repeat(Confluent.Kafka.ErrorCode.TopicAuthorizationFailed, 200)]);
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics, settings: new Dictionary<string, string?>
        {
            ["Kafka:DeadLetterAttempts"] = "3",
            ["Kafka:DeadLetterRetryDelay"] = "00:00:00.100",
        });

        // Given up: the group commits past the record instead of retrying it forever.
        await Poll.UntilAsync(() => RawKafka.Committed(kafka.Bootstrap, TestCommandConsumerDefinition.EndpointGroup, topics.Commands, 1)
            .Single().Offset.Value == 1, TimeSpan.FromSeconds(60), () => "the partition is still stuck on the record it cannot dead-letter");
        kafka.Cluster.ClearRequestErrors(Embedded.KafkaApiKey.Produce);

        var after = Guid.NewGuid();
        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands, [new TestCommand(after, 0, "after")]);
        await Poll.UntilAsync(() => host.Log.Has(after, 0), TimeSpan.FromSeconds(30), () => "record after the given-up one not handled");
        Assert.Empty(RawKafka.Read(kafka.Bootstrap, topics.DeadLetters, 1, TimeSpan.FromSeconds(2)));
    }
}
