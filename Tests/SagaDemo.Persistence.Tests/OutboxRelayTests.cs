using SagaDemo.Testing;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Tests;

/// <summary>The relay delivers committed outbox rows in order, once, and picks up after a crash.</summary>
public sealed class OutboxRelayTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    // Each test uses its own schema so leftovers of one cannot satisfy another.
    async Task<string> FreshSchemaAsync()
    {
        var schema = $"relay_{Guid.NewGuid():N}"[..20];
        await new Schema.SchemaMigrator(DataSource).MigrateAsync(Schema.SagaDemoSchemas.RelayOnly(schema));
        return schema;
    }

    [Fact]
    public async Task Delivers_committed_rows_in_order_exactly_once_and_ignores_rolled_back_ones()
    {
        var schema = await FreshSchemaAsync();
        await WriteAsync(schema, 0, 30, commit: true);
        await WriteAsync(schema, 1000, 5, commit: false);
        await WriteAsync(schema, 30, 30, commit: true);
        var sink = new RecordingSink();
        var relay = new OutboxRelay(DataSource, schema, sink, new OutboxRelayOptions { BatchSize = 7 });

        Assert.Equal(60, await relay.DeliverAllAsync());
        Assert.Equal(0, await relay.DeliverAllAsync());

        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"m{i}"), sink.Delivered.Select(e => e.Message.Key));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.outbox"));
    }

    [Fact]
    public async Task Two_running_relays_and_a_concurrent_writer_still_deliver_everything_once_in_order()
    {
        var schema = await FreshSchemaAsync();
        var sink = new RecordingSink();
        using var stop = new CancellationTokenSource();
        var options = new OutboxRelayOptions { BatchSize = 5, PollInterval = TimeSpan.FromMilliseconds(100) };
        var relays = new[]
        {
            new OutboxRelay(DataSource, schema, sink, options).RunAsync(stop.Token),
            new OutboxRelay(DataSource, schema, sink, options).RunAsync(stop.Token),
        };
        for (var i = 0; i < 20; i++)
            await WriteAsync(schema, i * 5, 5, commit: true);

        await Eventually.Until(() => Task.FromResult(sink.Delivered.Count), n => n >= 100);
        await stop.CancelAsync();
        await Task.WhenAll(relays);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), sink.Delivered.Select(e => e.Message.Key));
    }

    [Fact]
    public async Task A_running_relay_polls_for_rows_whose_notification_never_came_and_ignores_other_schemas_notifications()
    {
        var schema = await FreshSchemaAsync();
        var other = await FreshSchemaAsync();
        var sink = new RecordingSink();
        using var stop = new CancellationTokenSource();
        var running = new OutboxRelay(DataSource, schema, sink, new OutboxRelayOptions { PollInterval = TimeSpan.FromMilliseconds(10) })
            .RunAsync(stop.Token);

        for (var round = 0; round < 5; round++)
        {
            // Appended without the commit's NOTIFY (as when the listener's connection dropped), while another
            // schema's commits notify: only polling can find these rows.
            await using (var connection = await DataSource.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await OutboxTable.AppendAsync(connection, transaction, schema,
                    [new OutboxMessage(Guid.NewGuid(), "order", "Test.Message, Test", $"m{round}", new Dictionary<string, string>(), "{}")], CancellationToken.None);
                await transaction.CommitAsync();
            }
            await WriteAsync(other, round, 1, commit: true);
            await Eventually.Until(() => Task.FromResult(sink.Delivered.Count), n => n == round + 1);
        }
        await stop.CancelAsync();
        await running;

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"m{i}"), sink.Delivered.Select(e => e.Message.Key));
    }

    [Fact]
    public async Task Rows_survive_a_crash_before_delivery_and_go_out_on_the_next_relay_start()
    {
        var schema = await FreshSchemaAsync();
        await WriteAsync(schema, 0, 10, commit: true);

        // The process dies while the sink is producing: nothing is acknowledged, nothing is removed.
        var crashing = new OutboxRelay(DataSource, schema, new CrashingSink());
        await Assert.ThrowsAsync<IOException>(() => crashing.DeliverBatchAsync());
        // And the database goes down hard as well.
        await Fixture.Server.RestartAsync();
        DataSource.Clear(); // its pooled connections died with the server
        Assert.Equal(10L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.outbox"));

        var sink = new RecordingSink();
        Assert.Equal(10, await new OutboxRelay(DataSource, schema, sink).DeliverAllAsync());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), sink.Delivered.Select(e => e.Message.Key));
        Assert.Equal(0, await new OutboxRelay(DataSource, schema, sink).DeliverAllAsync());
    }

    [Fact]
    public async Task A_row_the_sink_calls_undeliverable_is_parked_after_its_attempts_and_the_rows_behind_it_go_on()
    {
        var schema = await FreshSchemaAsync();
        await WriteAsync(schema, 0, 5, commit: true);
        var sink = new RefusingSink("m2");
        var relay = new OutboxRelay(DataSource, schema, sink, new OutboxRelayOptions { MaxAttempts = 3 });

        // Twice the batch fails on the refused row and stays; the third attempt parks the row.
        await Assert.ThrowsAsync<OutboxUndeliverableException>(() => relay.DeliverBatchAsync());
        await Assert.ThrowsAsync<OutboxUndeliverableException>(() => relay.DeliverBatchAsync());
        Assert.Equal(5L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.outbox"));
        Assert.Equal(1, await relay.DeliverBatchAsync());
        Assert.Equal(4, await relay.DeliverAllAsync());

        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.outbox"));
        Assert.Equal("m2", await ScalarAsync<string>($"SELECT key FROM {schema}.outbox_parked"));
        Assert.Equal(3, await ScalarAsync<int>($"SELECT attempts FROM {schema}.outbox_parked"));
        Assert.Equal("refused for good", await ScalarAsync<string>($"SELECT reason FROM {schema}.outbox_parked"));
        Assert.Equal("{\"n\":2}", await ScalarAsync<string>($"SELECT body FROM {schema}.outbox_parked"));
        Assert.Equal(["m0", "m1", "m3", "m4"], sink.Delivered.Select(e => e.Message.Key).Distinct());
    }

    [Fact]
    public async Task Rows_written_while_the_outbox_was_jsonb_are_relayed_after_the_migration_to_text()
    {
        var schema = $"relay_{Guid.NewGuid():N}"[..20];
        var definition = Schema.SagaDemoSchemas.RelayOnly(schema);
        var migrator = new Schema.SchemaMigrator(DataSource);
        await migrator.MigrateAsync(definition with { Migrations = [.. definition.Migrations.Where(m => m.Name != "outbox headers and body as text")] });
        Assert.Equal("jsonb", await ScalarAsync<string>(
            $"SELECT data_type FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = 'outbox' AND column_name = 'body'"));
        // As the jsonb outbox stored them: the header default, and a body PostgreSQL reformatted.
        await ScalarAsync<int>($$"""
            INSERT INTO {{schema}}.outbox (message_id, destination, message_type, key, body)
            VALUES (gen_random_uuid(), 'order', 'Test.Message, Test', 'old', '{"n":1,"a":[1,2]}'::jsonb) RETURNING 1
            """);
        await ScalarAsync<int>($$"""
            INSERT INTO {{schema}}.outbox_parked (id, message_id, destination, message_type, key, headers, body, created_at, attempts, reason)
            VALUES (999, gen_random_uuid(), 'order', 'T', 'parked', '{"h":"v"}'::jsonb, '{"n":0}'::jsonb, now(), 3, 'r') RETURNING 1
            """);

        await migrator.MigrateAsync(definition);
        await WriteAsync(schema, 2, 1, commit: true);
        var sink = new RecordingSink();
        Assert.Equal(2, await new OutboxRelay(DataSource, schema, sink).DeliverAllAsync());

        Assert.Equal(["old", "m2"], sink.Delivered.Select(e => e.Message.Key));
        Assert.Equal("""{"a": [1, 2], "n": 1}""", sink.Delivered[0].Message.Body);
        Assert.Empty(sink.Delivered[0].Message.Headers);
        Assert.Equal("""{"n":2}""", sink.Delivered[1].Message.Body);
        Assert.Equal("2", sink.Delivered[1].Message.Headers["n"]);
        Assert.Equal("text", await ScalarAsync<string>(
            $"SELECT data_type FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = 'outbox_parked' AND column_name = 'headers'"));
        Assert.Equal("""{"h": "v"}""", await ScalarAsync<string>($"SELECT headers FROM {schema}.outbox_parked WHERE id = 999"));
    }

    [Fact]
    public async Task A_passing_failure_is_retried_without_end_and_parks_nothing()
    {
        var schema = await FreshSchemaAsync();
        await WriteAsync(schema, 0, 3, commit: true);
        var relay = new OutboxRelay(DataSource, schema, new CrashingSink(), new OutboxRelayOptions { MaxAttempts = 1 });

        for (var i = 0; i < 5; i++)
            await Assert.ThrowsAsync<IOException>(() => relay.DeliverBatchAsync());

        Assert.Equal(3L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.outbox"));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.outbox_parked"));
    }

    async Task WriteAsync(string schema, int first, int count, bool commit)
    {
        await using var transaction = await PostgresTransactionContext.BeginAsync(DataSource, schema);
        for (var i = first; i < first + count; i++)
            transaction.AddOutgoing(new OutboxMessage(Guid.NewGuid(), "order", "Test.Message, Test", $"m{i}",
                new Dictionary<string, string> { ["n"] = i.ToString() }, $$"""{"n":{{i}}}"""));
        if (commit)
            await transaction.CommitAsync();
    }

    sealed class RecordingSink : IOutboxSink
    {
        readonly List<OutboxEntry> _delivered = [];

        public List<OutboxEntry> Delivered
        {
            get { lock (_delivered) return [.. _delivered]; }
        }

        public Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
        {
            lock (_delivered)
                _delivered.AddRange(batch);
            return Task.CompletedTask;
        }
    }

    /// <summary>Delivers every row but one, which it calls undeliverable (as the Kafka sink does for a record too large).</summary>
    sealed class RefusingSink(string refusedKey) : IOutboxSink
    {
        readonly List<OutboxEntry> _delivered = [];

        public List<OutboxEntry> Delivered
        {
            get { lock (_delivered) return [.. _delivered]; }
        }

        public Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
        {
            lock (_delivered)
                _delivered.AddRange(batch.Where(e => e.Message.Key != refusedKey));
            var refused = batch.Where(e => e.Message.Key == refusedKey).Select(e => new UndeliverableRow(e.Id, "refused for good")).ToList();
            return refused.Count > 0 ? throw new OutboxUndeliverableException(refused) : Task.CompletedTask;
        }
    }

    sealed class CrashingSink : IOutboxSink
    {
        public Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken) =>
            throw new IOException("producer lost its broker connection");
    }
}
