using SagaDemo.Services.Users;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>The packed in-memory user store gives back exactly what it was given (the shared contract is in Persistence.Tests).</summary>
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
}
