using System.Text.Json;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Admission;
using SagaDemo.Services.Operations.Browsing;
using SagaDemo.Sagas.Tests.Support;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>
/// The in-memory store keeps admission control's count as operations change instead of passing over all it holds; the
/// kept count must equal what a pass over the store's contents (its listing) finds, whatever happened in between.
/// </summary>
public sealed class InMemoryPendingCountTests
{
    static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    static readonly string?[] Owners = [null, "shop", "backoffice"];

    static Operation New(string? owner, string type = OperationTypes.UserCreate, string status = OperationStatus.Pending,
        DateTimeOffset at = default, string? key = null) =>
        new(Guid.NewGuid(), type, status, at, at, JsonSerializer.SerializeToElement(new { }), null,
            status == OperationStatus.Pending ? null : "operation not allowed", null) { Owner = owner, IdempotencyKey = key };

    static OperationOutcome Done => new(OperationStatus.Completed, null, null, null);

    /// <summary>What a pass over everything the store holds finds: the reference the kept count must equal.</summary>
    static async Task<(int Total, string ByOwner, int Finished)> ByPassAsync(InMemoryOperationStore store, TimeProvider clock, TimeSpan window)
    {
        var all = await store.ListAsync(new OperationFilter(null, true, null, null, null, null, null, 0, int.MaxValue), default);
        var pending = all.Items.Where(o => o.Status == OperationStatus.Pending).ToList();
        var since = clock.GetUtcNow() - window;
        return (pending.Count, Listed(pending.GroupBy(o => o.Owner ?? "").Select(g => (g.Key, g.Count()))),
            all.Items.Count(o => o.Status != OperationStatus.Pending && o.UpdatedAt >= since));
    }

    static string Listed(IEnumerable<(string Owner, int Count)> byOwner) =>
        string.Join(",", byOwner.OrderBy(o => o.Owner, StringComparer.Ordinal).Select(o => $"{o.Owner}={o.Count}"));

    static async Task<(int Total, string ByOwner, int Finished)> KeptAsync(InMemoryOperationStore store, TimeSpan window)
    {
        var counted = await store.CountPendingAsync(window, default);
        return (counted.Total, Listed(counted.ByOwner.Select(o => (o.Key, o.Value))), counted.Finished);
    }

    [Fact]
    public async Task The_kept_count_equals_a_pass_over_the_store_through_adds_finishes_refusals_repeated_keys_and_retention()
    {
        var clock = new ManualClock();
        var store = new InMemoryOperationStore(clock);
        var random = new Random(16);
        var pending = new List<Guid>();
        var finished = new List<Guid>();
        var keys = new List<(string? Owner, string Key)>();
        var refusals = 0;

        for (var step = 0; step < 5000; step++)
        {
            var owner = Owners[random.Next(Owners.Length)];
            switch (random.Next(10))
            {
                case 0 or 1 or 2:
                    var key = random.Next(4) == 0 ? $"k-{step}" : null;
                    if (key is not null)
                        keys.Add((owner, key));
                    pending.Add((await store.AddAsync(New(owner, at: clock.GetUtcNow(), key: key), default)).Id);
                    break;
                case 3 when keys.Count > 0:
                    // A repeated key stores nothing: the first operation under it comes back, whatever its state.
                    var (keyOwner, repeated) = keys[random.Next(keys.Count)];
                    await store.AddAsync(New(keyOwner, at: clock.GetUtcNow(), key: repeated), default);
                    break;
                case 4:
                    // Refusals (a type the API does not run) are stored finished, and only an owner's newest 100 are kept.
                    await store.AddAsync(New(owner, "made-up", OperationStatus.Failed, clock.GetUtcNow()), default);
                    refusals++;
                    break;
                case 5 or 6 when pending.Count > 0:
                    var index = random.Next(pending.Count);
                    // Some finish with a time outside the window (a late reply stamped when it was sent).
                    var at = clock.GetUtcNow() - (random.Next(5) == 0 ? TimeSpan.FromSeconds(30) : TimeSpan.Zero);
                    await store.FinishAsync(pending[index], Done, at, default);
                    finished.Add(pending[index]);
                    pending.RemoveAt(index);
                    break;
                case 7 when finished.Count > 0:
                    // A redelivered reply changes nothing.
                    await store.FinishAsync(finished[random.Next(finished.Count)], Done, clock.GetUtcNow(), default);
                    break;
                case 8:
                    clock.Advance(TimeSpan.FromMilliseconds(random.Next(1500)));
                    break;
                default:
                    await store.PruneAsync(clock.GetUtcNow() - TimeSpan.FromSeconds(random.Next(2, 10)), default);
                    break;
            }
            Assert.Equal(await ByPassAsync(store, clock, Window), await KeptAsync(store, Window));
        }
        // The run reached what it is about: work still pending, recent finishes, and refusals forgotten (over 100 an owner).
        var end = await KeptAsync(store, Window);
        Assert.True(end.Total > 0 && end.Finished > 0, $"{end}");
        Assert.True(refusals > 3 * IOperationStore.RefusedKeptPerOwner + 30, $"{refusals} refusals");
    }

    [Fact]
    public async Task A_finished_window_longer_than_the_kept_finishes_is_answered_by_a_pass()
    {
        var clock = new ManualClock();
        var store = new InMemoryOperationStore(clock);
        var early = await store.AddAsync(New("shop", at: clock.GetUtcNow()), default);
        await store.FinishAsync(early.Id, Done, clock.GetUtcNow(), default);
        clock.Advance(TimeSpan.FromMinutes(2)); // past the minute of finishes the store keeps for the count
        await store.AddAsync(New("shop", at: clock.GetUtcNow()), default);

        var day = TimeSpan.FromDays(1);
        Assert.Equal((1, "shop=1", 1), await KeptAsync(store, day));
        Assert.Equal(await ByPassAsync(store, clock, day), await KeptAsync(store, day));
        Assert.Equal((1, "shop=1", 0), await KeptAsync(store, Window));
    }

    [Fact]
    public async Task Racing_adds_with_shared_keys_and_finishes_leave_exactly_what_is_pending()
    {
        var clock = new ManualClock();
        var store = new InMemoryOperationStore(clock);
        const int workers = 8, each = 2000;
        var stored = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        using var start = new Barrier(workers);

        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            start.SignalAndWait();
            for (var i = 0; i < each; i++)
            {
                // Every worker adds under the same key i for "shop": of each eight racing adds one stores.
                var key = i % 2 == 0 ? $"k-{i}" : null;
                var operation = await store.AddAsync(New(key is null ? Owners[w % 3] : "shop", at: clock.GetUtcNow(), key: key), default);
                stored.Add(operation.Id);
                // Finish every third one right away, racing other workers finishing the same winner.
                if (i % 3 == 0)
                    await store.FinishAsync(operation.Id, Done, clock.GetUtcNow(), default);
            }
        })));

        Assert.Equal(await ByPassAsync(store, clock, Window), await KeptAsync(store, Window));
        foreach (var id in stored.Distinct())
            await store.FinishAsync(id, Done, clock.GetUtcNow(), default);
        var end = await KeptAsync(store, Window);
        Assert.Equal((0, "", stored.Distinct().Count()), end);
    }
}
