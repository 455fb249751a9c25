using Confluent.Kafka;
using Npgsql;
using SagaDemo.Host.Composition;
using SagaDemo.Persistence.Schema;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// Waits until the system has nothing left to do: every outbox is empty, every consumer group has committed
/// every record of its topics, and no topic grew meanwhile. Checks after that see every effect a case can still
/// cause (redeliveries after a crash included), and the next case starts from a quiet system.
/// </summary>
public static class Quiescence
{
    /// <summary>Null once quiet; otherwise what was still busy at the deadline.</summary>
    public static async Task<string?> WaitAsync(FaultSystem system, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var ends = new ConsumerBuilder<Ignore, Ignore>(Config(system.Bootstrap, "quiescence-" + Guid.NewGuid().ToString("N"))).Build();
        var groups = RoleCatalog.Subscriptions
            .Select(s => (s.Group, s.Topics, Consumer: new ConsumerBuilder<Ignore, Ignore>(Config(system.Bootstrap, s.Group)).Build()))
            .ToList();
        try
        {
            Dictionary<TopicPartition, long>? before = null;
            while (true)
            {
                var highs = new Dictionary<TopicPartition, long>();
                var behind = new List<string>();
                foreach (var (group, topics, consumer) in groups)
                {
                    var partitions = topics.SelectMany(t => Enumerable.Range(0, system.Partitions).Select(p => new TopicPartition(t, p))).ToList();
                    foreach (var partition in partitions)
                        highs[partition] = ends.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
                    foreach (var committed in consumer.Committed(partitions, TimeSpan.FromSeconds(10)))
                    {
                        var done = Math.Max(0, committed.Offset.Value);
                        if (done < highs[committed.TopicPartition])
                            behind.Add($"{group} {committed.TopicPartition}: {done} of {highs[committed.TopicPartition]}");
                    }
                }
                var pending = await PendingOutboxRowsAsync(system.Database);
                if (behind.Count == 0 && pending.Count == 0 && before is not null && before.SequenceEqual(highs))
                    return null;
                if (DateTime.UtcNow > deadline)
                    return $"not quiet within {timeout}: {string.Join("; ", behind.Concat(pending))}";
                before = highs;
                await Task.Delay(200);
            }
        }
        finally
        {
            foreach (var (_, _, consumer) in groups)
                consumer.Dispose();
        }
    }

    static ConsumerConfig Config(string bootstrap, string group) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        // Never subscribes: it only reads the group's committed offsets, so it neither joins nor commits.
        EnableAutoCommit = false,
    };

    static async Task<List<string>> PendingOutboxRowsAsync(string database)
    {
        var pending = new List<string>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var schema in SagaDemoSchemas.All.Select(s => s.Name))
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {schema}.outbox", connection);
            if (await command.ExecuteScalarAsync() is long rows and > 0)
                pending.Add($"{rows} rows in {schema}.outbox");
        }
        return pending;
    }
}
