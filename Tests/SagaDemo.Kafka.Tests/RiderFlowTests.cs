using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Tests.Support;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Tests;

public sealed class RiderFlowTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_record_reaches_the_consumer_and_what_it_publishes_is_on_kafka_once_with_headers()
    {
        var topics = new TestTopics();
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics);
        var id = Guid.NewGuid();

        await RawKafka.ProduceCommandsAsync(kafka.Bootstrap, topics.Commands, [new TestCommand(id, 1, "hello")]);
        await Poll.UntilAsync(() => host.Log.Has(id, 1), TimeSpan.FromSeconds(20), () => "command not consumed");

        var echoes = RawKafka.Read(kafka.Bootstrap, topics.Echoes, 2, TimeSpan.FromSeconds(3));
        var echo = Assert.Single(echoes);
        Assert.Equal(id.ToString(), echo.Message.Key);
        var body = JsonDocument.Parse(echo.Message.Value).RootElement;
        Assert.Equal(id, body.GetProperty("operationId").GetGuid());
        Assert.Equal("hello", body.GetProperty("payload").GetString());
        Assert.Equal(nameof(TestEcho), RawKafka.Header(echo, KafkaHeaderNames.MessageType));
        Assert.True(Guid.TryParse(RawKafka.Header(echo, KafkaHeaderNames.MessageId), out _));
        Assert.NotNull(RawKafka.Header(echo, KafkaHeaderNames.ConversationId));
    }

    [Fact]
    public async Task Publishing_outside_a_consume_goes_to_kafka_and_nothing_stays_in_memory_queues()
    {
        var topics = new TestTopics();
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics);
        var id = Guid.NewGuid();

        using (var scope = host.Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(new TestCommand(id, 7, "api"));

        // Published by "the API" to the command topic, consumed by the rider, echoed to Kafka.
        await Poll.UntilAsync(() => host.Log.Has(id, 7), TimeSpan.FromSeconds(20), () => "published command not consumed");
        var commands = RawKafka.Read(kafka.Bootstrap, topics.Commands, 2, TimeSpan.FromSeconds(2));
        Assert.Single(commands);
        Assert.Single(RawKafka.Read(kafka.Bootstrap, topics.Echoes, 2, TimeSpan.FromSeconds(2)));

        // The bus's in-memory transport has no receive endpoint and no queue bound to the published types.
        var probe = JsonSerializer.Serialize(host.Host.Services.GetRequiredService<IBusControl>().GetProbeResult());
        Assert.DoesNotContain(TestCommandConsumerDefinition.EndpointGroup, probe);
        Assert.Equal(1, host.Log.Deliveries);
    }
}
