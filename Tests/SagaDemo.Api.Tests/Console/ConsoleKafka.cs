using Confluent.Kafka;

namespace SagaDemo.Api.Tests.Console;

/// <summary>What the console tests do on Kafka as an outside client: write a record, count a topic's records.</summary>
static class ConsoleKafka
{
    public static async Task ProduceAsync(string bootstrap, string topic, string key, string value)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = value });
    }

    /// <summary>The offset the next record of the topic's partition 0 gets: how many it ever had.</summary>
    public static long HighWatermark(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "console-test" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(5)).High.Value;
    }
}
