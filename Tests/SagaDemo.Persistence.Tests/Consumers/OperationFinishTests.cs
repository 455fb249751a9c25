using SagaDemo.Testing;
using System.Collections.Concurrent;
using System.Text.Json;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Operations;
using SagaDemo.Services.Operations;

namespace SagaDemo.Persistence.Tests.Consumers;

/// <summary>
/// The operations consumer's finish through group commit, as its grouped filter runs it: the conditional update joins
/// the message's write set with its inbox entry, and whoever counts finished operations hears of one only after the
/// commit that finished it, once.
/// </summary>
public sealed class OperationFinishTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    readonly ConcurrentBag<Operation> _finished = [];

    PostgresOperationStore Store() => new(DataSource, finishedInGroup: _finished.Add);

    async Task<Operation> AddPendingAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var operation = new Operation(Guid.NewGuid(), OperationTypes.UserCreate, OperationStatus.Pending, now, now,
            JsonSerializer.SerializeToElement(new { name = "hans" }), null, null, null);
        var store = new PostgresOperationStore(DataSource);
        await store.AddAsync(operation, default);
        return (await store.FindAsync(operation.Id, default))!; // as stored (microseconds)
    }

    static OperationOutcome Completed(Guid userId) =>
        new(OperationStatus.Completed, JsonSerializer.SerializeToElement(new { userId }), null, userId);

    /// <summary>What the grouped consumer filter does for one message: collect, then commit with whatever else is pending.</summary>
    static async Task<(Operation? Answer, bool Committed)> FinishAsMessageAsync(GroupCommitter committer, PostgresOperationStore store,
        Guid messageId, Guid operationId, OperationOutcome outcome, DateTimeOffset at, PendingWrite? alsoWritten = null)
    {
        var set = new WriteSet("operations");
        set.RecordInbox("operation-service/UserCreateCompletedConsumer", messageId);
        Operation? answer;
        using (AmbientWriteSet.Enter(set))
            answer = await store.FinishAsync(operationId, outcome, at, default);
        if (alsoWritten is not null)
            set.Add(alsoWritten);
        return (answer, await committer.CommitAsync(set));
    }

    [Fact]
    public async Task Concurrent_finishes_share_transactions_and_each_is_reported_once_after_its_commit()
    {
        await using var committer = new GroupCommitter(DataSource, "operations");
        var store = Store();
        var operations = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => AddPendingAsync()));
        var at = DateTimeOffset.UtcNow;
        using var sizes = new GroupSizes();

        var results = await Task.WhenAll(operations.Select(o => Task.Run(() =>
            FinishAsMessageAsync(committer, store, Guid.NewGuid(), o.Id, Completed(o.Id), at))));

        // Before its commit nothing was durable, so each caller got its operation still pending.
        Assert.All(results, r => Assert.Equal((OperationStatus.Pending, true), (r.Answer!.Status, r.Committed)));
        Assert.True(sizes.Transactions < 30, $"{sizes.Transactions} transactions for 30 finishes");
        var ids = operations.Select(o => o.Id).ToArray();
        Assert.Equal(30L, await ScalarAsync<long>(
            "SELECT count(*) FROM operations.operations WHERE id = ANY($1) AND status = 'completed'", (object)ids));
        Assert.Equal(ids.Order(), _finished.Select(f => f.Id).Order());
        Assert.All(_finished, f => Assert.Equal((OperationStatus.Completed, at), (f.Status, f.UpdatedAt)));
        Assert.All(_finished, f => Assert.Equal(operations.Single(o => o.Id == f.Id).CreatedAt, f.CreatedAt));
    }

    [Fact]
    public async Task A_redelivered_reply_and_a_late_second_reply_change_nothing_and_are_not_reported()
    {
        await using var committer = new GroupCommitter(DataSource, "operations");
        var store = Store();
        var operation = await AddPendingAsync();
        var messageId = Guid.NewGuid();
        var first = DateTimeOffset.UtcNow;

        Assert.True((await FinishAsMessageAsync(committer, store, messageId, operation.Id, Completed(operation.Id), first)).Committed);
        // The same record again (its offset was not committed before a crash): the inbox makes it a no-op.
        Assert.False((await FinishAsMessageAsync(committer, store, messageId, operation.Id, Completed(Guid.NewGuid()), first.AddSeconds(1))).Committed);
        // Another reply for the finished operation: answered with the operation as it is, nothing written.
        var late = await FinishAsMessageAsync(committer, store, Guid.NewGuid(), operation.Id,
            new OperationOutcome(OperationStatus.Failed, null, "late", null), first.AddSeconds(2));

        Assert.Equal((OperationStatus.Completed, true), (late.Answer!.Status, late.Committed));
        var stored = await store.FindAsync(operation.Id, default);
        Assert.Equal((OperationStatus.Completed, operation.Id), (stored!.Status, stored.SubjectId));
        Assert.Equal(operation.Id, Assert.Single(_finished).Id);
    }

    [Fact]
    public async Task Two_replies_racing_for_one_operation_finish_it_once_and_only_the_winner_is_reported()
    {
        await using var committer = new GroupCommitter(DataSource, "operations");
        var store = Store();
        var operation = await AddPendingAsync();
        var at = DateTimeOffset.UtcNow;

        // Both read the operation pending and both updates reach the commit; the conditional update lets one win.
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            FinishAsMessageAsync(committer, store, Guid.NewGuid(), operation.Id, Completed(operation.Id), at)));

        Assert.All(results, r => Assert.True(r.Committed));
        Assert.Equal(operation.Id, Assert.Single(_finished).Id);
    }

    [Fact]
    public async Task An_unknown_operation_is_answered_null_and_reports_nothing()
    {
        await using var committer = new GroupCommitter(DataSource, "operations");

        var result = await FinishAsMessageAsync(committer, Store(), Guid.NewGuid(), Guid.NewGuid(), Completed(Guid.NewGuid()), DateTimeOffset.UtcNow);

        Assert.Equal((null, true), (result.Answer, result.Committed));
        Assert.Empty(_finished);
    }

    [Fact]
    public async Task A_finish_whose_commit_fails_is_not_reported_and_its_retry_is()
    {
        await using var committer = new GroupCommitter(DataSource, "operations");
        var store = Store();
        var operation = await AddPendingAsync();
        var (messageId, at) = (Guid.NewGuid(), DateTimeOffset.UtcNow);

        // A statement of the same message that fails at commit takes the whole set down with it.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => FinishAsMessageAsync(committer, store, messageId, operation.Id,
            Completed(operation.Id), at, new PendingWrite("SELECT 1 / 0", [], null, e => e!)));

        Assert.Empty(_finished);
        Assert.Equal(OperationStatus.Pending, (await store.FindAsync(operation.Id, default))!.Status);
        Assert.True((await FinishAsMessageAsync(committer, store, messageId, operation.Id, Completed(operation.Id), at)).Committed);
        Assert.Equal(operation.Id, Assert.Single(_finished).Id);
    }
}
