using System.Collections.Concurrent;

namespace SagaDemo.Services.Users;

/// <summary>
/// Users in process memory, for one-process runs and tests: the stand-in for the user service's database, so it keeps
/// every user. Packed rather than kept as <see cref="User"/> objects (about 150 bytes a user instead of 300), since
/// nothing evicts them and a long run's memory is mostly users: one struct per user in a dictionary, its texts as
/// UTF-8 in chunks, owners shared. Sharded by id so that a dictionary's growth copies a small array, not all users.
/// </summary>
public sealed class InMemoryUserStore : IUserStore
{
    const int ShardCount = 64;
    // Owners are API client ids: a few, each repeated on every user it creates; beyond this many, each user keeps its own copy.
    const int MaxSharedOwners = 1024;

    readonly Shard[] _shards = Enumerable.Range(0, ShardCount).Select(_ => new Shard()).ToArray();
    readonly ConcurrentDictionary<string, string> _owners = new();

    public Task<bool> AddAsync(User user, CancellationToken cancellationToken)
    {
        var shard = ShardOf(user.Id);
        lock (shard)
        {
            if (shard.Users.ContainsKey(user.Id)) return Task.FromResult(false);
            var (texts, nameBytes, emailBytes) = shard.Texts.Append(user.Name, user.Email);
            shard.Users.Add(user.Id, new PackedUser(user.CreatedAt.UtcTicks, (short)user.CreatedAt.TotalOffsetMinutes,
                user.OperationId, texts, nameBytes, emailBytes, Shared(user.Owner)));
        }
        return Task.FromResult(true);
    }

    public Task<User?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var shard = ShardOf(id);
        lock (shard)
        {
            if (!shard.Users.TryGetValue(id, out var u)) return Task.FromResult<User?>(null);
            var createdAt = new DateTimeOffset(u.CreatedUtcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(u.OffsetMinutes));
            return Task.FromResult<User?>(new User(id, shard.Texts.Read(u.Texts, 0, u.NameBytes),
                u.EmailBytes < 0 ? null : shard.Texts.Read(u.Texts, u.NameBytes, u.EmailBytes), createdAt, u.OperationId)
                { Owner = u.Owner });
        }
    }

    Shard ShardOf(Guid id) => _shards[(id.GetHashCode() & int.MaxValue) % ShardCount];

    string? Shared(string? owner) =>
        owner is null ? null
        : _owners.TryGetValue(owner, out var shared) ? shared
        : _owners.Count < MaxSharedOwners ? _owners.GetOrAdd(owner, owner)
        : owner;

    sealed class Shard
    {
        public readonly Dictionary<Guid, PackedUser> Users = [];
        public readonly Utf8Arena Texts = new();
    }

    /// <param name="Texts">Where the name's UTF-8 bytes start in the shard's texts, the e-mail's follow them.</param>
    /// <param name="EmailBytes">-1: no e-mail.</param>
    readonly record struct PackedUser(
        long CreatedUtcTicks, short OffsetMinutes, Guid OperationId, int Texts, int NameBytes, int EmailBytes, string? Owner);
}
