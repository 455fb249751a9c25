using SagaDemo.Testing;
using System.Text.Json;
using SagaDemo.Persistence.Operations;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Persistence.Tests.Stores;

/// <summary>What every <see cref="IOperationStore"/> does, run against each implementation.</summary>
public abstract class OperationStoreContract
{
    protected abstract Task<IOperationStore> NewStoreAsync();

    static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    static Operation Pending(Guid id) => new(id, OperationTypes.UserCreate, OperationStatus.Pending, Created, Created,
        JsonSerializer.SerializeToElement(new { name = "hans", email = (string?)null, nested = new { z = 1, a = 2 } }), null, null, null);

    static OperationOutcome Completed(Guid subject) =>
        new(OperationStatus.Completed, JsonSerializer.SerializeToElement(new { userId = subject }), null, subject);

    [Fact]
    public async Task Only_an_owners_newest_refusals_are_kept_and_operations_that_run_are_never_dropped()
    {
        var store = await NewStoreAsync();
        var kept = IOperationStore.RefusedKeptPerOwner;
        var running = await store.AddAsync(Pending(Guid.NewGuid()) with { Owner = "shop" }, default);
        var refused = new List<Operation>();
        for (var i = 0; i < kept + 20; i++)
        {
            var at = Created.AddSeconds(i);
            refused.Add(await store.AddAsync(new Operation(Guid.NewGuid(), $"made-up-{i}", OperationStatus.Failed, at, at,
                JsonSerializer.SerializeToElement(new { n = i }), null, "operation not allowed", null) { Owner = "shop" }, default));
        }
        var otherOwners = await store.AddAsync(new Operation(Guid.NewGuid(), "made-up", OperationStatus.Failed, Created, Created,
            JsonSerializer.SerializeToElement(new { }), null, "operation not allowed", null) { Owner = "backoffice" }, default);

        foreach (var r in refused.Take(20))
            Assert.Null(await store.FindAsync(r.Id, default));
        foreach (var r in refused.Skip(20))
            Assert.NotNull(await store.FindAsync(r.Id, default));
        Assert.NotNull(await store.FindAsync(running.Id, default));
        Assert.NotNull(await store.FindAsync(otherOwners.Id, default));
    }

    [Fact]
    public async Task Counts_pending_operations_per_owner_and_those_finished_within_the_window()
    {
        var store = await NewStoreAsync();
        var shop1 = await store.AddAsync(Pending(Guid.NewGuid()) with { Owner = "shop" }, default);
        await store.AddAsync(Pending(Guid.NewGuid()) with { Owner = "shop" }, default);
        await store.AddAsync(Pending(Guid.NewGuid()), default); // anonymous
        var longAgo = await store.AddAsync(Pending(Guid.NewGuid()) with { Owner = "backoffice" }, default);
        await store.FinishAsync(shop1.Id, Completed(Guid.NewGuid()), DateTimeOffset.UtcNow, default);
        await store.FinishAsync(longAgo.Id, Completed(Guid.NewGuid()), Created, default); // finished outside the window

        var counted = await ((IPendingOperationCounter)store).CountPendingAsync(TimeSpan.FromMinutes(1), default);

        Assert.Equal(2, counted.Total);
        Assert.Equal([("", 1), ("shop", 1)], counted.ByOwner.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (o.Key, o.Value)));
        Assert.Equal(1, counted.Finished);
    }

    [Fact]
    public async Task Stores_and_finds_an_operation_with_the_request_as_sent()
    {
        var store = await NewStoreAsync();
        var operation = Pending(Guid.NewGuid());
        await store.AddAsync(operation, default);

        var found = await store.FindAsync(operation.Id, default);
        Assert.NotNull(found);
        Assert.Equal((operation.Id, operation.Type, operation.Status, operation.CreatedAt), (found.Id, found.Type, found.Status, found.CreatedAt));
        // Key order and spelling of the client's body survive (compat envelope "data").
        Assert.Equal(operation.Request.GetRawText(), found.Request.GetRawText());
        Assert.Null(await store.FindAsync(Guid.NewGuid(), default));
    }

    [Fact]
    public async Task Adding_an_existing_id_throws()
    {
        var store = await NewStoreAsync();
        var operation = Pending(Guid.NewGuid());
        await store.AddAsync(operation, default);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddAsync(operation, default));
    }

    [Fact]
    public async Task Finish_is_first_writer_wins_and_the_winner_sees_its_own_time()
    {
        var store = await NewStoreAsync();
        var operation = Pending(Guid.NewGuid());
        await store.AddAsync(operation, default);
        var subject = Guid.NewGuid();
        var first = Created.AddTicks(12_345_678); // sub-microsecond ticks: must still compare equal
        var second = first.AddSeconds(1);

        var won = await store.FinishAsync(operation.Id, Completed(subject), first, default);
        var lost = await store.FinishAsync(operation.Id, new OperationOutcome(OperationStatus.Failed, null, "late", null), second, default);

        Assert.Equal(first, won!.UpdatedAt);
        Assert.Equal(OperationStatus.Completed, won.Status);
        Assert.Equal(subject, won.SubjectId);
        Assert.NotEqual(second, lost!.UpdatedAt);
        Assert.Equal(OperationStatus.Completed, lost.Status);
        Assert.Null(lost.Error);
        Assert.Equal(subject, lost.Result!.Value.GetProperty("userId").GetGuid());
        Assert.Null(await store.FinishAsync(Guid.NewGuid(), Completed(subject), second, default));
    }

    [Fact]
    public async Task Of_racing_finishes_exactly_one_wins()
    {
        var store = await NewStoreAsync();
        var operation = Pending(Guid.NewGuid());
        await store.AddAsync(operation, default);
        var times = Enumerable.Range(1, 16).Select(i => Created.AddMilliseconds(i)).ToArray();

        var results = await Task.WhenAll(times.Select(at => Task.Run(() =>
            store.FinishAsync(operation.Id, Completed(Guid.NewGuid()), at, default))));

        Assert.Equal(1, results.Zip(times).Count(r => r.First!.UpdatedAt == r.Second));
        Assert.Single(results.Select(r => r!.SubjectId).Distinct());
    }

    static Operation Keyed(string? owner, string? key, string hash = "h1") =>
        Pending(Guid.NewGuid()) with { Owner = owner, IdempotencyKey = key, RequestHash = hash };

    [Fact]
    public async Task Owner_key_and_request_hash_are_stored()
    {
        var store = await NewStoreAsync();
        foreach (var operation in new[] { Keyed("shop", "k-1"), Keyed(null, null, "h2") })
        {
            Assert.Equal(operation, await store.AddAsync(operation, default));
            var found = await store.FindAsync(operation.Id, default);
            Assert.Equal((operation.Owner, operation.IdempotencyKey, operation.RequestHash),
                (found!.Owner, found.IdempotencyKey, found.RequestHash));
        }
    }

    [Fact]
    public async Task A_repeated_key_of_one_owner_returns_the_earlier_operation_and_stores_nothing()
    {
        var store = await NewStoreAsync();
        var first = Keyed("shop", "k-1");
        await store.AddAsync(first, default);
        await store.FinishAsync(first.Id, Completed(Guid.NewGuid()), Created.AddSeconds(1), default);

        var repeat = Keyed("shop", "k-1", "other-hash");
        var stored = await store.AddAsync(repeat, default);

        // The earlier operation as it is now (finished), with its own request hash to compare against.
        Assert.Equal((first.Id, OperationStatus.Completed, "h1"), (stored.Id, stored.Status, stored.RequestHash));
        Assert.Null(await store.FindAsync(repeat.Id, default));
    }

    [Fact]
    public async Task Keys_are_per_owner_and_anonymous_is_an_owner_too()
    {
        var store = await NewStoreAsync();
        var shop = Keyed("shop", "k"); var backoffice = Keyed("backoffice", "k"); var anonymous = Keyed(null, "k");
        foreach (var operation in new[] { shop, backoffice, anonymous })
            Assert.Equal(operation.Id, (await store.AddAsync(operation, default)).Id);

        Assert.Equal(anonymous.Id, (await store.AddAsync(Keyed(null, "k"), default)).Id);
        // Without a key nothing is deduplicated.
        Assert.NotEqual((await store.AddAsync(Keyed(null, null), default)).Id, (await store.AddAsync(Keyed(null, null), default)).Id);
    }

    [Fact]
    public async Task Of_concurrent_adds_with_one_key_exactly_one_stores()
    {
        var store = await NewStoreAsync();
        var candidates = Enumerable.Range(0, 16).Select(_ => Keyed("shop", "race")).ToArray();

        var stored = await Task.WhenAll(candidates.Select(c => Task.Run(() => store.AddAsync(c, default))));

        var winner = Assert.Single(stored.Select(s => s.Id).Distinct());
        Assert.Contains(winner, candidates.Select(c => c.Id));
        var found = await Task.WhenAll(candidates.Select(c => store.FindAsync(c.Id, default)));
        Assert.Single(found, f => f is not null);
    }
}

public sealed class InMemoryOperationStoreTests : OperationStoreContract
{
    protected override Task<IOperationStore> NewStoreAsync() => Task.FromResult<IOperationStore>(new InMemoryOperationStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresOperationStoreTests(PostgresServerFixture fixture) : OperationStoreContract, IAsyncLifetime
{
    readonly FreshSchemas _schemas = new(fixture);

    protected override async Task<IOperationStore> NewStoreAsync()
    {
        var (dataSource, schema) = await _schemas.CreateAsync("ops",
            s => [OperationTables.Operations(2, s), OperationTables.OwnerAndIdempotencyKey(3, s)]);
        return new PostgresOperationStore(dataSource, schema);
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _schemas.DisposeAsync();
}
