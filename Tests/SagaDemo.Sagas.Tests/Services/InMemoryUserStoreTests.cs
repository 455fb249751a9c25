using SagaDemo.Services.Users;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>
/// The packed in-memory user store gives back exactly what it was given, and past its capacity forgets the oldest
/// without growing (the shared contract is in Persistence.Tests).
/// </summary>
public sealed class InMemoryUserStoreTests
{
    static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(5.5));

    [Fact]
    public async Task Every_user_of_many_comes_back_as_it_was_stored_across_text_chunks()
    {
        var store = new InMemoryUserStore();
        // Names and e-mails of every length up to beyond a 16 KiB chunk, multi-byte characters, with and without e-mail.
        var users = Enumerable.Range(0, 3000).Select(i => new User(Guid.NewGuid(),
            i == 1500 ? new string('ß', 20_000) : $"name-{i}-{new string('é', i % 37)}🙂",
            i % 3 == 0 ? null : i % 5 == 0 ? "" : $"user{i}@exämple.com",
            At.AddTicks(i), Guid.NewGuid()) { Owner = i % 4 == 0 ? null : $"client-{i % 7}" }).ToList();

        foreach (var user in users) Assert.True(await store.AddAsync(user, default));

        foreach (var user in users) Assert.Equal(user, await store.FindAsync(user.Id, default));
        var found = (await store.FindAsync(users[7].Id, default))!;
        Assert.Equal(At.Offset, found.CreatedAt.Offset);
    }

    [Fact]
    public async Task Of_racing_adds_of_one_id_exactly_one_wins_and_is_kept()
    {
        var store = new InMemoryUserStore();
        var id = Guid.NewGuid();

        var added = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            store.AddAsync(new User(id, $"racer-{i}", null, At, Guid.NewGuid()), default))));

        Assert.Single(added, a => a);
        var winner = Array.IndexOf(added, true);
        Assert.Equal($"racer-{winner}", (await store.FindAsync(id, default))!.Name);
    }

    const int SmallCapacity = 6_400; // 100 a shard

    /// <summary>Users with names and e-mails of many lengths, now and then one longer than a text chunk; seeded, so every run sees the same ids.</summary>
    static List<User> SeededUsers(int count, int seed, int padding = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var id = new byte[16];
            random.NextBytes(id);
            return new User(new Guid(id), i % 997 == 0 ? new string('ø', 17_000) : $"user-{i}-{new string('ü', random.Next(40))}{new string('n', padding)}",
                i % 3 == 0 ? null : $"user{i}@example.com", At.AddSeconds(i), Guid.NewGuid()) { Owner = $"client-{i % 5}" };
        }).ToList();
    }

    [Fact]
    public async Task Past_its_capacity_it_keeps_exactly_the_capacity_forgetting_the_oldest()
    {
        var store = new InMemoryUserStore(SmallCapacity);
        var users = SeededUsers(3 * SmallCapacity, seed: 1);

        foreach (var user in users) Assert.True(await store.AddAsync(user, default));

        var found = new List<User>();
        foreach (var user in users)
            if (await store.FindAsync(user.Id, default) is { } back) found.Add(back);
        // Each shard keeps its own newest: over 3x the capacity every shard filled, so the total is exact, the first
        // third (at least 200 later users a shard, on average) is gone, and the last sixth (~50 a shard) is all there,
        // its texts read back intact from chunks reused after the users before them were forgotten.
        Assert.Equal(SmallCapacity, found.Count);
        Assert.DoesNotContain(found, u => users.IndexOf(u) < SmallCapacity);
        Assert.All(users.TakeLast(SmallCapacity / 2), u => Assert.Contains(u, found));
    }

    [Fact]
    public async Task A_forgotten_user_can_be_stored_again()
    {
        var store = new InMemoryUserStore(SmallCapacity);
        var users = SeededUsers(3 * SmallCapacity, seed: 2);
        foreach (var user in users) await store.AddAsync(user, default);

        Assert.Null(await store.FindAsync(users[0].Id, default));
        Assert.True(await store.AddAsync(users[0], default));
        Assert.Equal(users[0], await store.FindAsync(users[0].Id, default));
    }

    [Fact]
    public async Task Once_full_it_reuses_its_text_chunks_instead_of_allocating_new_ones()
    {
        var store = new InMemoryUserStore(SmallCapacity);
        // ~250 B of text a user: a shard's 100 users span two 16 KiB chunks, and each 3x the capacity fills four more.
        var users = SeededUsers(6 * SmallCapacity, seed: 3, padding: 200).Where(u => u.Name.Length < 1000).ToList();
        // Filled three times over first, so every shard has made the chunks it cycles through, and its queue and
        // dictionaries have reached their size.
        foreach (var user in users.Take(3 * SmallCapacity)) await store.AddAsync(user, default);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var user in users.Skip(3 * SmallCapacity)) await store.AddAsync(user, default);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Without reuse these ~4.7 MB of UTF-8 would be ~290 new chunks.
        Assert.True(allocated < 64 * 1024, $"adding {users.Count - 3 * SmallCapacity} users to a full store allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_capacity_below_one_user_a_shard_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryUserStore(InMemoryUserStore.MinCapacity - 1));
}
