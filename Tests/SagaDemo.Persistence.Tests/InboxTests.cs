using SagaDemo.Testing;
using MassTransit;
using MassTransit.Testing;
using SagaDemo.Contracts.Users;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.Tests;

/// <summary>A redelivered message id is recognised inside the transaction, so it has no second effect.</summary>
public sealed class InboxTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    [Fact]
    public async Task A_committed_message_id_is_refused_the_second_time()
    {
        var messageId = Guid.NewGuid();
        await using (var first = await PostgresTransactionContext.BeginAsync(DataSource, "users"))
        {
            Assert.True(await first.TryRecordInboxAsync("user-store", messageId));
            await first.CommitAsync();
        }

        await using var second = await PostgresTransactionContext.BeginAsync(DataSource, "users");
        Assert.False(await second.TryRecordInboxAsync("user-store", messageId));
        Assert.True(await second.TryRecordInboxAsync("another-consumer", messageId));
    }

    [Fact]
    public async Task A_rolled_back_record_does_not_count()
    {
        var messageId = Guid.NewGuid();
        await using (var failed = await PostgresTransactionContext.BeginAsync(DataSource, "users"))
            Assert.True(await failed.TryRecordInboxAsync("user-store", messageId)); // disposed without commit

        await using var retry = await PostgresTransactionContext.BeginAsync(DataSource, "users");
        Assert.True(await retry.TryRecordInboxAsync("user-store", messageId));
    }

    [Fact]
    public async Task A_concurrent_duplicate_waits_for_the_first_and_is_then_refused()
    {
        var messageId = Guid.NewGuid();
        await using var first = await PostgresTransactionContext.BeginAsync(DataSource, "users");
        Assert.True(await first.TryRecordInboxAsync("user-store", messageId));

        await using var second = await PostgresTransactionContext.BeginAsync(DataSource, "users");
        var duplicate = second.TryRecordInboxAsync("user-store", messageId);
        await Eventually.Until(() => ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"), n => n > 0);
        Assert.False(duplicate.IsCompleted);

        await first.CommitAsync();
        Assert.False(await duplicate);
    }

    [Fact]
    public async Task Saga_with_inbox_applies_a_redelivered_message_once()
    {
        await using var host = await SagaTestHost.StartAsync(ConnectionString, useInbox: true);
        var operationId = Guid.NewGuid();
        await host.Harness.Bus.Publish(new UserCreateRequested(operationId, "hans", null));
        var created = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s is not null);

        using var duplicates = new MetricCounter("sagademo.inbox.duplicates");
        var approvalId = NewId.NextGuid();
        var approval = new UserApprovalCompleted(operationId, created!.UserId, true, null);
        for (var i = 0; i < 3; i++)
            await host.Harness.Bus.Publish(approval, c => c.MessageId = approvalId);
        await Eventually.Until(() => Task.FromResult(duplicates.Count), n => n == 2, what: "both redeliveries refused");

        var saga = await host.LoadUserAsync(operationId);
        // Without the inbox the two redeliveries would each be applied (ignored in Storing) and bump the version.
        Assert.Equal(2, saga!.Version);
        Assert.Equal("Storing", saga.CurrentState);
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM users.inbox WHERE consumer = 'user_registration_saga' AND message_id = $1", approvalId));
    }
}
