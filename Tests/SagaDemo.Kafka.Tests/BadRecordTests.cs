using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Tests.Support;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Tests;

/// <summary>
/// Records that break the wire contract, from a plain Confluent producer and from kcat, each followed on the same
/// partition by a good one: every bad record lands on the dead-letter topic with its reason and its original key,
/// value and headers, and the endpoint goes on with the good ones.
/// </summary>
public sealed class BadRecordTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    const int MaxRecordBytes = 64 * 1024;
    // Larger than the consumer's max.partition.fetch.bytes (1 MiB) and the producer's message.max.bytes (1,000,000):
    // it must neither wedge the fetch nor the dead-letter copy.
    const int HugeBytes = 1536 * 1024;

    /// <param name="Omitted">What the dead-letter copy leaves out (too large to write whole); null: nothing.</param>
    sealed record Bad(string What, string? Key, byte[] Value, string Reason, (string Name, string Value)[] Headers, string? Omitted = null);

    [Fact]
    public async Task Keyless_misKeyed_unknown_field_wrong_type_and_huge_records_are_dead_lettered_with_a_reason_and_the_endpoint_goes_on()
    {
        var topics = new TestTopics();
        kafka.Cluster.CreateTopic(topics.Commands, partitions: 1);
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics,
            settings: new Dictionary<string, string?> { ["Kafka:MaxRecordBytes"] = MaxRecordBytes.ToString() });

        var id = Guid.NewGuid();
        Bad[] bads =
        [
            new("keyless", null, Command(id), "The record has no key; the wire contract keys every record by its correlation id (a UUID).", []),
            new("empty key", "", Command(id), "The record has no key", []),
            new("key not a UUID", "order-17", Command(id), "The record key 'order-17' is not a UUID", []),
            new("key not the correlation id", Guid.NewGuid().ToString(), Command(id), $"is not the TestCommand's correlation id {id}", []),
            new("unknown field", id.ToString(), Json($$"""{"operationId":"{{id}}","sequence":1,"payload":"x","priority":"high"}"""),
                "The JSON property 'priority' could not be mapped", [("trace-me", "kept"), (KafkaHeaderNames.MessageType, "TestCommand")]),
            new("another type's JSON", id.ToString(), Json($$"""{"operationId":"{{id}}","userId":"{{Guid.NewGuid()}}","approved":true,"reason":null}"""),
                "The value is not a valid TestCommand", []),
            new("over MaxRecordBytes", id.ToString(), Command(id, new string('p', 100_000)),
                $"bytes, more than Kafka:MaxRecordBytes ({MaxRecordBytes}); it was not read.", []),
            new("over every fetch and produce limit", id.ToString(), Command(id, new string('h', HugeBytes)),
                $"bytes, more than Kafka:MaxRecordBytes ({MaxRecordBytes})", [("trace-me", "kept")], Omitted: "value ({0} bytes)"),
            new("unknown field, and headers too large to copy", id.ToString(), Json($$"""{"operationId":"{{id}}","sequence":1,"payload":"x","extra":1}"""),
                "'extra' could not be mapped", [("blob", new string('b', HugeBytes))], Omitted: "value ({0} bytes), original headers"),
        ];

        var goods = new List<Guid>();
        using (var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = kafka.Bootstrap, MessageMaxBytes = 4 * 1024 * 1024 }).Build())
        {
            foreach (var bad in bads)
            {
                await producer.ProduceAsync(topics.Commands, new Message<string?, byte[]> { Key = bad.Key, Value = bad.Value, Headers = HeadersOf(bad.Headers) });
                goods.Add(await ProduceGoodAsync(producer, topics.Commands, goods.Count));
            }

            // kcat: without -K every line is a keyless record; with -K the part before '|' is the key.
            var kcatId = Guid.NewGuid();
            Kcat.Run($"-b {kafka.Bootstrap} -P -t {topics.Commands}", TimeSpan.FromSeconds(20), Encoding.UTF8.GetString(Command(kcatId)) + "\n");
            goods.Add(await ProduceGoodAsync(producer, topics.Commands, goods.Count));
            Kcat.Run($"-b {kafka.Bootstrap} -P -t {topics.Commands} -K \"|\"", TimeSpan.FromSeconds(20),
                $$"""{{kcatId}}|{"operationId":"{{kcatId}}","sequence":1,"payload":"x","sequense":2}""" + "\n");
            goods.Add(await ProduceGoodAsync(producer, topics.Commands, goods.Count));
            bads =
            [
                .. bads,
                new("keyless from kcat", null, Command(kcatId), "The record has no key", []),
                new("unknown field from kcat", kcatId.ToString(), Json($$"""{"operationId":"{{kcatId}}","sequence":1,"payload":"x","sequense":2}"""),
                    "'sequense' could not be mapped", []),
            ];
        }

        var total = bads.Length + goods.Count;
        await Poll.UntilAsync(() => goods.Select((g, i) => host.Log.Has(g, i)).All(x => x), TimeSpan.FromSeconds(20),
            () => $"good records handled: {goods.Select((g, i) => host.Log.Has(g, i)).Count(x => x)} of {goods.Count}");
        Assert.Equal(goods.Count, host.Log.Deliveries); // no bad record reached the consumer
        await Poll.UntilAsync(() => RawKafka.Committed(kafka.Bootstrap, TestCommandConsumerDefinition.EndpointGroup, topics.Commands, 1)
            .Single().Offset.Value == total, TimeSpan.FromSeconds(10), () => "offsets not committed past every record");

        var originals = RawKafka.Read(kafka.Bootstrap, topics.Commands, total, TimeSpan.FromSeconds(10)).ToDictionary(r => r.Offset.Value);
        var deadLetters = RawKafka.Read(kafka.Bootstrap, topics.DeadLetters, bads.Length, TimeSpan.FromSeconds(10));
        Assert.Equal(bads.Length, deadLetters.Count);
        Assert.Equal(bads.Length, RecordCount(topics.DeadLetters)); // and nothing else
        for (var i = 0; i < bads.Length; i++)
        {
            var bad = bads[i];
            // Bad and good records alternate on the one partition.
            var offset = 2 * i;
            var dead = Assert.Single(deadLetters, d => RawKafka.Header(d, KafkaHeaderNames.DeadLetterOffset) == offset.ToString());
            var original = originals[offset];
            Assert.True(RawKafka.Header(dead, KafkaHeaderNames.DeadLetterError)?.Contains(bad.Reason) == true,
                $"{bad.What}: reason '{RawKafka.Header(dead, KafkaHeaderNames.DeadLetterError)}' lacks '{bad.Reason}'");
            Assert.Equal(typeof(UnreadableRecordException).FullName, RawKafka.Header(dead, KafkaHeaderNames.DeadLetterExceptionType));
            Assert.Equal(topics.Commands, RawKafka.Header(dead, KafkaHeaderNames.DeadLetterTopic));
            Assert.Equal(original.Message.Key, dead.Message.Key);
            Assert.Equal(bad.Key ?? "", original.Message.Key ?? ""); // the record is where the test put it
            if (bad.Omitted is null)
            {
                foreach (var (name, value) in bad.Headers)
                    Assert.Equal(value, RawKafka.Header(dead, name));
                Assert.True(original.Message.Value.AsSpan().SequenceEqual(dead.Message.Value), $"{bad.What}: value not preserved");
                Assert.Null(RawKafka.Header(dead, KafkaHeaderNames.DeadLetterOmitted));
            }
            else
            {
                Assert.Equal(bad.Value.Length, original.Message.Value.Length); // the consumer fetched it whole
                Assert.Empty(dead.Message.Value ?? []);
                Assert.Equal(string.Format(bad.Omitted, bad.Value.Length)
                             + $" left out: too large for the dead-letter topic; the original is at {topics.Commands}/0@{offset} until retention removes it",
                    RawKafka.Header(dead, KafkaHeaderNames.DeadLetterOmitted));
                var headersKept = !bad.Omitted.Contains("original headers");
                foreach (var (name, value) in bad.Headers)
                    Assert.Equal(headersKept ? value : null, RawKafka.Header(dead, name));
            }
        }
    }

    static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    // One line, as kcat reads one record per line.
    static byte[] Command(Guid id, string payload = "bad") => JsonSerializer.SerializeToUtf8Bytes(new TestCommand(id, 0, payload), WireJson.Options);

    static Headers HeadersOf((string Name, string Value)[] headers)
    {
        var result = new Headers();
        foreach (var (name, value) in headers)
            result.Add(name, Encoding.UTF8.GetBytes(value));
        return result;
    }

    static async Task<Guid> ProduceGoodAsync(IProducer<string?, byte[]> producer, string topic, int sequence)
    {
        var id = Guid.NewGuid();
        await producer.ProduceAsync(topic, new Message<string?, byte[]>
        {
            Key = id.ToString(),
            Value = JsonSerializer.SerializeToUtf8Bytes(new TestCommand(id, sequence, "good"), WireJson.Options),
        });
        return id;
    }

    /// <summary>Records in the topic, over all its partitions.</summary>
    long RecordCount(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Bootstrap }).Build();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.Bootstrap, GroupId = "record-count" }).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value);
    }
}
