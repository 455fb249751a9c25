using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Contracts.Users;
using SagaDemo.Host.Outbox;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Registration;
using SagaDemo.Kafka.Tests.Support;
using SagaDemo.Kafka.Topology;
using Npgsql;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Schema;
using SagaDemo.Testing;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Kafka.Tests;

/// <summary>The outbox relay's Kafka sink, alone on the mock cluster and inside the whole Host on PostgreSQL.</summary>
public sealed class KafkaOutboxSinkTests : IAsyncLifetime
{
    readonly MockKafkaCluster _cluster = new(brokerCount: 1);
    PostgresServer? _postgres;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        _cluster.Dispose();
    }

    [Fact]
    public async Task Each_row_becomes_one_record_like_a_direct_publish_with_key_headers_and_wire_json()
    {
        await using var provider = RiderServices();
        var sink = provider.GetRequiredService<KafkaOutboxSink>();
        var operationId = Guid.NewGuid();
        var conversationId = Guid.NewGuid();
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var message = new UserCreateRequested(operationId, "hans", null);
        var row = new OutboxMessage(Guid.NewGuid(), "user-create", MessageDestinations.TypeName(typeof(UserCreateRequested)),
            // The row's key differs on purpose: the message's own OperationId decides, as for a direct publish.
            Key: Guid.NewGuid().ToString(),
            new Dictionary<string, string>
            {
                [OutboxHeaders.CorrelationId] = operationId.ToString(),
                [OutboxHeaders.ConversationId] = conversationId.ToString(),
                ["traceparent"] = traceParent,
            },
            JsonSerializer.Serialize(message, SagaDemo.Persistence.PersistenceJson.Options));
        var unknown = new OutboxMessage(Guid.NewGuid(), "Some.Gone.Type", "Some.Gone.Type, Gone", null,
            new Dictionary<string, string>(), """{"x":1}""");

        await sink.DeliverAsync([new OutboxEntry(1, row, DateTimeOffset.UtcNow), new OutboxEntry(2, unknown, DateTimeOffset.UtcNow)], default);

        var record = Assert.Single(TopicDump.ReadAll(_cluster.BootstrapServers, ["user-create"]));
        Assert.Equal(operationId.ToString(), record.Key);
        Assert.Equal($$"""{"operationId":"{{operationId}}","name":"hans","email":null}""", record.Value);
        Assert.Equal("UserCreateRequested", record.Headers[KafkaHeaderNames.MessageType]);
        Assert.Equal(row.MessageId.ToString(), record.Headers[KafkaHeaderNames.MessageId]);
        Assert.Equal(operationId.ToString(), record.Headers[KafkaHeaderNames.CorrelationId]);
        Assert.Equal(conversationId.ToString(), record.Headers[KafkaHeaderNames.ConversationId]);
        Assert.Equal(traceParent, record.Headers[KafkaHeaderNames.TraceParent]);

        // A row no topic carries is not lost and does not block the relay: it is kept on the outbox dead-letter topic.
        var undeliverable = Assert.Single(TopicDump.ReadAll(_cluster.BootstrapServers, [KafkaOutboxSink.UndeliverableTopic]));
        Assert.Equal("""{"x":1}""", undeliverable.Value);
        Assert.Equal(unknown.MessageId.ToString(), undeliverable.Headers[KafkaHeaderNames.MessageId]);
        Assert.Contains("Some.Gone.Type", undeliverable.Headers[KafkaHeaderNames.DeadLetterError]);
    }

    [Fact]
    public async Task A_batch_completes_only_once_kafka_acknowledged_every_record()
    {
        await using var provider = RiderServices();
        var sink = provider.GetRequiredService<KafkaOutboxSink>();
        _cluster.CreateTopic("user-create-response", 6);
        var batch = Enumerable.Range(1, 50).Select(i =>
        {
            var id = Guid.NewGuid();
            var body = JsonSerializer.Serialize(new UserCreateCompleted(id, Guid.NewGuid(), "completed", null),
                SagaDemo.Persistence.PersistenceJson.Options);
            return new OutboxEntry(i, new OutboxMessage(Guid.NewGuid(), "user-create-response",
                MessageDestinations.TypeName(typeof(UserCreateCompleted)), id.ToString(), new Dictionary<string, string>(), body),
                DateTimeOffset.UtcNow);
        }).ToList();
        await sink.DeliverAsync(batch.Take(1).ToList(), default); // producer connected before the broker goes down

        _cluster.SetBrokerDown(1);
        var delivery = sink.DeliverAsync(batch.Skip(1).ToList(), default);
        var early = await Task.WhenAny(delivery, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.NotSame(delivery, early);
        _cluster.SetBrokerUp(1);
        await delivery.WaitAsync(TimeSpan.FromSeconds(60));

        var records = TopicDump.ReadAll(_cluster.BootstrapServers, ["user-create-response"]);
        Assert.Equal(50, records.Count);
        Assert.Equal(batch.Select(e => e.Message.MessageId.ToString()).Order(),
            records.Select(r => r.Headers[KafkaHeaderNames.MessageId]).Order());
    }

    [Fact]
    public async Task With_postgres_and_kafka_every_published_message_lands_on_kafka_exactly_once()
    {
        var database = await _postgres!.CreateDatabaseAsync("exactly_once");
        await using var app = new SagaDemoAppFactory(new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = database });
        var client = app.CreateClient();
        Assert.IsType<KafkaOutboxSink>(app.Services.GetRequiredService<IOutboxSink>());

        var approved = await client.StartAsync("/operations/user-create", """{"name":"hans","email":"hans@example.com"}""");
        var denied = await client.StartAsync("/operations/user-create", """{"name":"mallory"}""");
        var order = await client.StartAsync("/operations/order-create", """{"customerId":"c-1","items":[{"sku":"apple","quantity":2}]}""");
        var outOfStock = await client.StartAsync("/operations/order-create", """{"customerId":"c-1","items":[{"sku":"unicorn","quantity":1}]}""");
        var timeout = TimeSpan.FromSeconds(60);
        Assert.Equal("completed", (await client.FinishedAsync(approved, timeout)).GetProperty("status").GetString());
        Assert.Equal("failed", (await client.FinishedAsync(denied, timeout)).GetProperty("status").GetString());
        Assert.Equal("completed", (await client.FinishedAsync(order, timeout)).GetProperty("status").GetString());
        Assert.Equal("failed", (await client.FinishedAsync(outOfStock, timeout)).GetProperty("status").GetString());
        // Statistics reads the last records of the order flow: once both orders count, every record is written.
        await Poll.UntilAsync(() => Statistics(client) is (1, 1), timeout, () => "statistics counted both orders");

        var records = TopicDump.ReadAll(app.Bootstrap, RoleCatalog.Topics.TopicNames);

        Assert.All(records, r => Assert.True(r.Headers.ContainsKey(KafkaHeaderNames.MessageId), $"{r.Topic} record without message-id"));
        var duplicates = records.GroupBy(r => r.Headers[KafkaHeaderNames.MessageId]).Where(g => g.Count() > 1)
            .Select(g => $"{g.First().Topic} {g.First().Headers[KafkaHeaderNames.MessageType]} x{g.Count()}").ToList();
        Assert.True(duplicates.Count == 0, "produced more than once: " + string.Join(", ", duplicates));
        // The user flow's four hops, one record each, keyed by the operation.
        foreach (var topic in new[] { "user-create", "user-approve", "user-approve-response", "user-create-response" })
            Assert.Single(records, r => r.Topic == topic && r.Key == approved.ToString());
        Assert.Single(records, r => r.Topic == "user-create-response" && r.Key == denied.ToString());
        Assert.DoesNotContain(records, r => r.Topic.EndsWith(TopicCatalog.DeadLetterSuffix, StringComparison.Ordinal));
        Assert.Contains(records, r => r.Topic == "order" && r.Key == order.ToString());
    }

    [Fact]
    public async Task A_row_naming_a_type_outside_the_contract_is_never_constructed_and_goes_to_the_outbox_dead_letter_topic()
    {
        await using var provider = RiderServices();
        var sink = provider.GetRequiredService<KafkaOutboxSink>();
        // Whoever can write an outbox row names the type: a loadable one with a constructor is a gadget.
        var row = new OutboxMessage(Guid.NewGuid(), "user-create", MessageDestinations.TypeName(typeof(OutboxGadget)), null,
            new Dictionary<string, string>(), """{"payload":"x"}""");

        await sink.DeliverAsync([new OutboxEntry(1, row, DateTimeOffset.UtcNow)], default);

        Assert.Equal(0, OutboxGadget.Constructed);
        var undeliverable = Assert.Single(TopicDump.ReadAll(_cluster.BootstrapServers, [KafkaOutboxSink.UndeliverableTopic]));
        Assert.Contains("Unknown message type", undeliverable.Headers[KafkaHeaderNames.DeadLetterError]);
    }

    public sealed class OutboxGadget
    {
        public static int Constructed;

        public OutboxGadget() => Interlocked.Increment(ref Constructed);

        public string? Payload { get; set; }
    }

    [Fact]
    public async Task A_row_kafka_refuses_for_good_is_parked_and_the_rows_behind_it_go_out()
    {
        var database = await _postgres!.CreateDatabaseAsync("parking");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await new SchemaMigrator(dataSource).MigrateAsync(SagaDemoSchemas.Users);
        await using var provider = RiderServices();
        var rows = new[] { "before", new string('n', 2 * 1024 * 1024), "after" }.Select(name =>
        {
            var id = Guid.NewGuid();
            return new OutboxMessage(Guid.NewGuid(), "user-store", MessageDestinations.TypeName(typeof(StoreUser)), id.ToString(),
                new Dictionary<string, string>(),
                JsonSerializer.Serialize(new StoreUser(id, Guid.NewGuid(), name, null, DateTimeOffset.UtcNow), SagaDemo.Persistence.PersistenceJson.Options));
        }).ToList();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await OutboxTable.AppendAsync(connection, transaction, "users", rows, default);
            await transaction.CommitAsync();
        }

        // The middle row is larger than any record the producer may send: it can never be delivered.
        using var stop = new CancellationTokenSource();
        var relay = new OutboxRelay(dataSource, "users", provider.GetRequiredService<KafkaOutboxSink>(),
            new OutboxRelayOptions { RetryDelay = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(100) }).RunAsync(stop.Token);
        await Poll.UntilAsync(() => Count(dataSource, "SELECT count(*) FROM users.outbox") == 0, TimeSpan.FromSeconds(30),
            () => "the relay is still stuck on a row Kafka refuses");
        await stop.CancelAsync();
        await relay;

        var delivered = TopicDump.ReadAll(_cluster.BootstrapServers, ["user-store"]).Select(r => r.Headers[KafkaHeaderNames.MessageId]).ToHashSet();
        Assert.Equal(new[] { rows[0].MessageId.ToString(), rows[2].MessageId.ToString() }.ToHashSet(), delivered);
        Assert.Equal(1, Count(dataSource, $"SELECT count(*) FROM users.outbox_parked WHERE message_id = '{rows[1].MessageId}' AND reason <> ''"));
    }

    static long Count(NpgsqlDataSource dataSource, string sql)
    {
        using var command = dataSource.CreateCommand(sql);
        return (long)command.ExecuteScalar()!;
    }

    static (long completed, long cancelled) Statistics(HttpClient client)
    {
        var stats = JsonDocument.Parse(client.GetStringAsync("/statistics").GetAwaiter().GetResult()).RootElement;
        return (stats.GetProperty("completed").GetInt64(), stats.GetProperty("cancelled").GetInt64());
    }

    ServiceProvider RiderServices()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new KafkaBootstrap(_cluster));
        services.AddKafkaRider(new ConfigurationBuilder().Build(), RoleCatalog.Topics, []);
        services.AddSingleton<KafkaOutboxSink>();
        return services.BuildServiceProvider();
    }
}
