using SagaDemo.Testing;
using System.Text.Json;
using MassTransit.Testing;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Users;
using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.Tests;

/// <summary>With the outbox on, what a saga publishes is written in its transaction and relayed after commit.</summary>
public sealed class SagaOutboxTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    [Fact]
    public async Task Publishes_become_outbox_rows_of_the_saga_transaction_with_topic_key_and_headers()
    {
        // No relay: the rows stay for inspection.
        await using var capturing = await SagaTestHost.StartAsync(ConnectionString, useOutbox: true, runRelays: false);
        var operationId = Guid.NewGuid();

        await capturing.Harness.Bus.Publish(new UserCreateRequested(operationId, "hans", "hans@example.com"));
        var saga = await Eventually.Until(() => capturing.LoadUserAsync(operationId), s => s?.CurrentState == "AwaitingApproval");

        var entries = await ReadOutboxAsync(operationId);
        var entry = Assert.Single(entries);
        Assert.Equal(Topics.UserApprove, entry.Destination);
        Assert.Equal(operationId.ToString(), entry.Key);
        Assert.StartsWith(typeof(UserApprovalRequested).FullName!, entry.MessageType);
        var body = JsonSerializer.Deserialize<UserApprovalRequested>(entry.Body, PersistenceJson.Options)!;
        Assert.Equal(new UserApprovalRequested(operationId, saga!.UserId, "hans", "hans@example.com"), body);
        Assert.Contains("\"operationId\"", entry.Body);
        Assert.True(Guid.TryParse(entry.Headers[OutboxHeaders.MessageId], out _));
        Assert.True(entry.Headers.ContainsKey(OutboxHeaders.ConversationId), string.Join(",", entry.Headers));
        // Nothing went to the transport directly.
        Assert.False(await capturing.Harness.Published.Any<UserApprovalRequested>(m => m.Context.Message.OperationId == operationId));
    }

    [Fact]
    public async Task Full_user_flow_runs_through_the_outbox_and_relay()
    {
        await using var host = await SagaTestHost.StartAsync(ConnectionString, useOutbox: true, useInbox: true);
        var operationId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new UserCreateRequested(operationId, "anna", null));
        Assert.True(await host.Harness.Published.Any<UserApprovalRequested>(m => m.Context.Message.OperationId == operationId));
        var saga = await host.LoadUserAsync(operationId);
        await host.Harness.Bus.Publish(new UserApprovalCompleted(operationId, saga!.UserId, true, null));
        Assert.True(await host.Harness.Published.Any<StoreUser>(m => m.Context.Message.OperationId == operationId));
        await host.Harness.Bus.Publish(new UserStored(operationId, saga.UserId));

        Assert.True(await host.Harness.Published.Any<UserCreateCompleted>(m =>
            m.Context.Message.OperationId == operationId && m.Context.Message.Status == UserCreateStatus.Completed));
        await Eventually.Until(() => ScalarAsync<long>("SELECT count(*) FROM users.outbox"), n => n == 0, what: "outbox drained");
        Assert.Equal(1, host.Harness.Published.Select<StoreUser>().Count(m => m.Context.Message.OperationId == operationId));
    }

    async Task<List<OutboxMessage>> ReadOutboxAsync(Guid key)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT message_id, destination, message_type, key, headers::text, body::text FROM users.outbox WHERE key = $1 ORDER BY id");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = key.ToString() });
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<OutboxMessage>();
        while (await reader.ReadAsync())
            list.Add(new OutboxMessage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))!, reader.GetString(5)));
        return list;
    }
}
