using SagaDemo.Testing;
using System.Text.Json;
using SagaDemo.Persistence.Operations;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Browsing;
using SagaDemo.Services.Operations.DeadLetters;

namespace SagaDemo.Persistence.Tests.Stores;

/// <summary>What the operations console needs of the api's stores, run against each implementation.</summary>
public abstract class ConsoleStoreContract
{
    protected abstract Task<(IOperationStore Store, IOperationBrowser Browser, IDeadLetterDecisions Decisions)> NewAsync();

    static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    static Operation Op(string type, string status, int minute, string? owner) =>
        new(Guid.NewGuid(), type, status, Start.AddMinutes(minute), Start.AddMinutes(minute), JsonSerializer.SerializeToElement(new { }),
            null, null, null) { Owner = owner };

    [Fact]
    public async Task Lists_newest_first_filtered_and_paged_with_the_total_of_all_matches()
    {
        var (store, browser, _) = await NewAsync();
        var ops = new[]
        {
            Op(OperationTypes.UserCreate, OperationStatus.Completed, 0, "shop"),
            Op(OperationTypes.OrderCreate, OperationStatus.Failed, 1, "shop"),
            Op(OperationTypes.OrderCreate, OperationStatus.Completed, 2, "shop"),
            Op(OperationTypes.UserCreate, OperationStatus.Pending, 3, "shop"),
            Op(OperationTypes.UserCreate, OperationStatus.Completed, 4, "backoffice"),
        };
        foreach (var op in ops)
            await store.AddAsync(op, default);
        OperationFilter All(string? owner = "shop", bool allOwners = false) => new(owner, allOwners, null, null, null, null, null, 0, 50);
        async Task<List<Guid>> Ids(OperationFilter filter) => [.. (await browser.ListAsync(filter, default)).Items.Select(o => o.Id)];

        Assert.Equal([ops[3].Id, ops[2].Id, ops[1].Id, ops[0].Id], await Ids(All()));
        Assert.Equal([ops[4].Id, ops[3].Id, ops[2].Id, ops[1].Id, ops[0].Id], await Ids(All(allOwners: true)));
        Assert.Empty(await Ids(All(owner: null)));
        Assert.Equal([ops[2].Id, ops[1].Id], await Ids(All() with { Type = OperationTypes.OrderCreate }));
        Assert.Equal([ops[2].Id, ops[0].Id], await Ids(All() with { Status = OperationStatus.Completed }));
        Assert.Equal([ops[2].Id, ops[1].Id], await Ids(All() with { From = Start.AddMinutes(1), To = Start.AddMinutes(3) }));
        Assert.Equal([ops[1].Id], await Ids(All() with { IdText = ops[1].Id.ToString()[9..23] }));

        var page = await browser.ListAsync(All() with { Offset = 1, Limit = 2 }, default);
        Assert.Equal([ops[2].Id, ops[1].Id], page.Items.Select(o => o.Id));
        Assert.Equal(4, page.Total);
        var beyond = await browser.ListAsync(All() with { Offset = 10, Limit = 2 }, default);
        Assert.Equal((0, 4), (beyond.Items.Count, beyond.Total));
    }

    [Fact]
    public async Task The_first_decision_about_a_record_wins_and_a_withdrawn_one_can_be_made_again()
    {
        var (_, _, decisions) = await NewAsync();
        var record = new DeadLetterRef("user-create.dead-letter", 0, 7);
        var candidates = Enumerable.Range(0, 16).Select(i => new DeadLetterDecision(record,
            i % 2 == 0 ? DeadLetterActions.Replay : DeadLetterActions.Discard, $"operator-{i}", Start.AddSeconds(i).AddTicks(120))).ToArray();

        var stored = await Task.WhenAll(candidates.Select(c => Task.Run(() => decisions.DecideAsync(c, default))));

        // A decision stored to the microsecond reads back equal to the one made (how the caller tells it was its own).
        var winner = Assert.Single(stored.Distinct());
        Assert.Contains(winner, candidates);
        await decisions.SetReplayedToAsync(record, "user-create/0@9", default);
        Assert.Equal(winner with { ReplayedTo = "user-create/0@9" }, Assert.Single(await decisions.ListAsync(record.Topic, default)));
        Assert.Empty(await decisions.ListAsync("order-create.dead-letter", default));

        await decisions.WithdrawAsync(record, default);
        var again = new DeadLetterDecision(record, DeadLetterActions.Discard, "someone", Start);
        Assert.Equal(again, await decisions.DecideAsync(again, default));
    }
}

public sealed class InMemoryConsoleStoreTests : ConsoleStoreContract
{
    protected override Task<(IOperationStore, IOperationBrowser, IDeadLetterDecisions)> NewAsync()
    {
        var store = new InMemoryOperationStore();
        return Task.FromResult<(IOperationStore, IOperationBrowser, IDeadLetterDecisions)>((store, store, new InMemoryDeadLetterDecisions()));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresConsoleStoreTests(PostgresServerFixture fixture) : ConsoleStoreContract, IAsyncLifetime
{
    readonly FreshSchemas _schemas = new(fixture);

    protected override async Task<(IOperationStore, IOperationBrowser, IDeadLetterDecisions)> NewAsync()
    {
        var (dataSource, schema) = await _schemas.CreateAsync("console", s =>
            [OperationTables.Operations(2, s), OperationTables.OwnerAndIdempotencyKey(3, s), ConsoleTables.RecentOperations(4, s),
             ConsoleTables.DeadLetterDecisions(5, s)]);
        var store = new PostgresOperationStore(dataSource, schema);
        return (store, store, new PostgresDeadLetterDecisions(dataSource, schema));
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _schemas.DisposeAsync();
}
