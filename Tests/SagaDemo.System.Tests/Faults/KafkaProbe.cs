using Confluent.Kafka;
using SagaDemo.Host.Composition;
using SagaDemo.Testing;
using SagaDemo.Kafka.Topology;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.System.Tests.Faults;

/// <summary>Looks at the broker from outside: what a consumer group has committed, what was dead-lettered.</summary>
public static class KafkaProbe
{
    /// <summary>The consumer group reading <paramref name="topic"/>.</summary>
    public static string GroupOf(string topic) => RoleCatalog.Subscriptions.Single(s => s.Topics.Contains(topic)).Group;

    /// <summary>Waits until the group reading the record's topic committed past it: the record was handled, whatever that did.</summary>
    public static async Task<bool> HandledAsync(string bootstrap, TopicPartitionOffset record, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = GroupOf(record.Topic), EnableAutoCommit = false,
        }).Build();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Committed([record.TopicPartition], TimeSpan.FromSeconds(10)).Single().Offset.Value > record.Offset.Value)
                return true;
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Every dead-lettered record so far, from all dead-letter topics.</summary>
    public static List<TopicDump.Record> DeadLetters(string bootstrap) =>
        TopicDump.ReadAll(bootstrap, RoleCatalog.Topics.TopicNames.Select(TopicCatalog.DeadLetterTopic));

    /// <summary>Every record so far on the topics the services read.</summary>
    public static List<TopicDump.Record> Records(string bootstrap) => TopicDump.ReadAll(bootstrap, RoleCatalog.Topics.TopicNames);

    public static string? Header(this TopicDump.Record record, string name) => record.Headers.GetValueOrDefault(name);
}
