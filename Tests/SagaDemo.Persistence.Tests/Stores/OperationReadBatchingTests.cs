using System.Text.Json;
using SagaDemo.Persistence.Operations;
using SagaDemo.Persistence.Reads;
using SagaDemo.Services.Operations;
using SagaDemo.Testing;

namespace SagaDemo.Persistence.Tests.Stores;

/// <summary>
/// Status polls (<c>FindAsync</c> outside a transaction) that arrive together share one statement, and each still
/// gets its own operation, as fresh as a read of its own.
/// </summary>
public sealed class OperationReadBatchingTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    async Task<Operation> AddPendingAsync(PostgresOperationStore store)
    {
        var now = DateTimeOffset.UtcNow;
        var operation = new Operation(Guid.NewGuid(), OperationTypes.UserCreate, OperationStatus.Pending, now, now,
            JsonSerializer.SerializeToElement(new { name = "hans" }), null, null, null);
        return await store.AddAsync(operation, default);
    }

    [Fact]
    public async Task Concurrent_status_reads_share_statements_and_each_gets_its_own_operation()
    {
        var store = new PostgresOperationStore(DataSource);
        var known = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => AddPendingAsync(store)));
        var asked = known.Select(o => o.Id).Concat(Enumerable.Range(0, 10).Select(_ => Guid.NewGuid())).ToArray();
        using var statements = new StatementCounter("WHERE id = ANY(");

        var reads = Enumerable.Range(0, 400).Select(i => asked[i % asked.Length]).ToArray();
        var answers = await Task.WhenAll(reads.Select(id => Task.Run(() => store.FindAsync(id, default))));

        for (var i = 0; i < reads.Length; i++)
            Assert.Equal(known.SingleOrDefault(o => o.Id == reads[i])?.Id, answers[i]?.Id);
        Assert.InRange(statements.Count, 1, reads.Length / 4);
    }

    [Fact]
    public async Task A_read_asked_after_a_commit_sees_it_while_other_reads_keep_the_store_busy()
    {
        var store = new PostgresOperationStore(DataSource);
        var operations = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AddPendingAsync(store)));
        using var stop = new CancellationTokenSource();
        // Polls of every operation all the time, so a read always finds queries in flight it could wrongly share.
        var pollers = Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            for (var i = p; !stop.IsCancellationRequested; i++)
                await store.FindAsync(operations[i % operations.Length].Id, default);
        })).ToArray();

        foreach (var operation in operations)
        {
            var outcome = new OperationOutcome(OperationStatus.Completed, JsonSerializer.SerializeToElement(new { ok = true }), null, null);
            await store.FinishAsync(operation.Id, outcome, DateTimeOffset.UtcNow, default);
            Assert.Equal(OperationStatus.Completed, (await store.FindAsync(operation.Id, default))!.Status);
        }
        await stop.CancelAsync();
        await Task.WhenAll(pollers);
    }

    [Fact]
    public async Task A_failed_query_fails_the_reads_it_carried_and_the_next_read_runs_a_new_one()
    {
        var calls = 0;
        var gate = new TaskCompletionSource();
        var batcher = new KeyedReadBatcher<int, string>(async (keys, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await gate.Task;
                throw new InvalidOperationException("connection lost");
            }
            return keys.ToDictionary(k => k, k => $"v{k}");
        }, maxInFlight: 1);

        var first = batcher.ReadAsync(1, default);
        // Queued behind the first query: the second query carries both, and the first query's failure is its own.
        var second = batcher.ReadAsync(2, default);
        var third = batcher.ReadAsync(3, default);
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        Assert.Equal(("v2", "v3"), (await second, await third));
        Assert.Null(await new KeyedReadBatcher<int, string>((_, _) =>
            Task.FromResult<IReadOnlyDictionary<int, string>>(new Dictionary<int, string>())).ReadAsync(7, default));
        Assert.Equal(2, calls);
    }
}
