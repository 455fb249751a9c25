using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Contracts;
using SagaDemo.Kafka.Topology;
using SagaDemo.Contracts.Orders;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

/// <summary>
/// A publish that went to Kafka still passes through the bus's in-memory transport; it must not be serialized a
/// second time there, while publishes of types no topic carries keep their full body.
/// </summary>
public sealed class KafkaOnlyPublishTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_message_produced_to_Kafka_gets_no_second_body_and_other_messages_keep_theirs()
    {
        var topic = $"warehouse-event-{Guid.NewGuid():N}"[..24];
        await using var host = await RiderHost.StartAsync(kafka.Cluster, new TestTopics(new TopicDefinition(topic, [typeof(StockReserved)])));
        var bodies = new BodyObserver();
        using var _ = host.Host.Services.GetRequiredService<IBus>().ConnectPublishObserver(bodies);
        var orderId = Guid.NewGuid();

        using (var scope = host.Host.Services.CreateScope())
        {
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await publish.Publish(new StockReserved(orderId, 12.5m));
            await publish.Publish(new PaymentCharged(orderId, 12.5m)); // no topic of this test carries it
        }

        Assert.Empty(bodies.Of<StockReserved>());
        Assert.Contains(orderId.ToString(), System.Text.Encoding.UTF8.GetString(bodies.Of<PaymentCharged>()));
        var record = Assert.Single(RawKafka.Read(kafka.Bootstrap, topic, 1, TimeSpan.FromSeconds(3)));
        Assert.Contains(orderId.ToString(), System.Text.Encoding.UTF8.GetString(record.Message.Value));
    }

    sealed class BodyObserver : IPublishObserver
    {
        readonly ConcurrentDictionary<Type, byte[]> _bodies = new();

        public byte[] Of<T>() => _bodies.TryGetValue(typeof(T), out var body) ? body : throw new InvalidOperationException($"{typeof(T).Name} was not published");

        public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context) where T : class
        {
            _bodies[typeof(T)] = context.Serializer.GetMessageBody(context).GetBytes();
            return Task.CompletedTask;
        }

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
