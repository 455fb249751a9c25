using System.Collections.Concurrent;

namespace SagaDemo.Services.Users;

/// <summary>
/// Users in process memory, for one-process runs and tests: the stand-in for the user service's database, so it keeps
/// every user. Packed rather than kept as <see cref="User"/> objects (about 150 bytes a user instead of 300), since
/// nothing evicts them and a long run's memory is mostly users: one struct per user in a dictionary, its texts as
/// UTF-8 in chunks, owners shared. Sharded by id so that a dictionary's growth copies a small array, not all users.
/// </summary>
/// <remarks>
/// 64 locks over 1,024 dictionaries created at staggered sizes. With one dictionary per lock, a 10-minute soak at 479
/// users/s (300,000 users) put every dictionary's array on the large object heap, and since ids hash evenly all 64
/// doubled within seconds of each other: RSS stepped up by ~20 MiB at once, and the arrays they left behind were holes
/// the next, twice larger arrays never fit in (that heap is not compacted). A dictionary's array stays below the large
/// object heap's 85,000 bytes up to ~1,100 users (72 bytes an entry), so the first reach it at about 650,000 users in
/// all. The first sizes (four of .NET's hash primes, 37 to 71, whose doublings stay apart) make four resize waves per
/// doubling, each of a quarter of the users, instead of one.
/// </remarks>
public sealed class InMemoryUserStore : IUserStore
{
    const int ShardCount = 64;
    const int TablesPerShard = 16;
    static readonly int[] FirstCapacities = [37, 47, 59, 71];
    // Owners are API client ids: a few, each repeated on every user it creates; beyond this many, each user keeps its own copy.
    const int MaxSharedOwners = 1024;

    readonly Shard[] _shards = Enumerable.Range(0, ShardCount).Select(_ => new Shard()).ToArray();
    readonly ConcurrentDictionary<string, string> _owners = new();

    public Task<bool> AddAsync(User user, CancellationToken cancellationToken)
    {
        var (shard, table) = Locate(user.Id);
        lock (shard)
        {
            var users = shard.Table(table);
            if (users.ContainsKey(user.Id)) return Task.FromResult(false);
            var (texts, nameBytes, emailBytes) = shard.Texts.Append(user.Name, user.Email);
            users.Add(user.Id, new PackedUser(user.CreatedAt.UtcTicks, (short)user.CreatedAt.TotalOffsetMinutes,
                user.OperationId, texts, nameBytes, emailBytes, Shared(user.Owner)));
        }
        return Task.FromResult(true);
    }

    public Task<User?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var (shard, table) = Locate(id);
        lock (shard)
        {
            if (!shard.Table(table).TryGetValue(id, out var u)) return Task.FromResult<User?>(null);
            var createdAt = new DateTimeOffset(u.CreatedUtcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(u.OffsetMinutes));
            return Task.FromResult<User?>(new User(id, shard.Texts.Read(u.Texts, 0, u.NameBytes),
                u.EmailBytes < 0 ? null : shard.Texts.Read(u.Texts, u.NameBytes, u.EmailBytes), createdAt, u.OperationId)
                { Owner = u.Owner });
        }
    }

    (Shard Shard, int Table) Locate(Guid id)
    {
        var hash = id.GetHashCode() & int.MaxValue;
        return (_shards[hash % ShardCount], hash / ShardCount % TablesPerShard);
    }

    string? Shared(string? owner) =>
        owner is null ? null
        : _owners.TryGetValue(owner, out var shared) ? shared
        : _owners.Count < MaxSharedOwners ? _owners.GetOrAdd(owner, owner)
        : owner;

    sealed class Shard
    {
        readonly Dictionary<Guid, PackedUser>?[] _tables = new Dictionary<Guid, PackedUser>?[TablesPerShard];
        public readonly Utf8Arena Texts = new();

        /// <summary>Created on first use, so a store with few users stays small.</summary>
        public Dictionary<Guid, PackedUser> Table(int index) =>
            _tables[index] ??= new Dictionary<Guid, PackedUser>(FirstCapacities[index % FirstCapacities.Length]);
    }

    /// <param name="Texts">Where the name's UTF-8 bytes start in the shard's texts, the e-mail's follow them.</param>
    /// <param name="EmailBytes">-1: no e-mail.</param>
    readonly record struct PackedUser(
        long CreatedUtcTicks, short OffsetMinutes, Guid OperationId, int Texts, int NameBytes, int EmailBytes, string? Owner);
}
