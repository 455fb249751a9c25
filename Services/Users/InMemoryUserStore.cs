using System.Collections.Concurrent;

namespace SagaDemo.Services.Users;

/// <summary>
/// Users in process memory, for one-process runs and tests: the stand-in for the user service's database. It keeps the
/// latest <see cref="Capacity"/> users and forgets the oldest past that, so memory stays level however long a run
/// lasts (a forgotten user's <c>GET /users/{id}</c> is a 404). Packed rather than kept as <see cref="User"/> objects
/// (about 150 bytes a user instead of 300): one struct per user in a dictionary, its texts as UTF-8 in chunks that are
/// reused once their users are forgotten, owners shared. Sharded by id so that a dictionary's growth copies a small array,
/// not all users; each of the 64 shards keeps its share of the capacity and forgets its own oldest.
/// </summary>
/// <remarks>
/// 64 locks over 1,024 dictionaries created at staggered sizes. With one dictionary per lock, a 10-minute soak at 479
/// users/s (300,000 users) put every dictionary's array on the large object heap, and since ids hash evenly all 64
/// doubled within seconds of each other: RSS stepped up by ~20 MiB at once, and the arrays they left behind were holes
/// the next, twice larger arrays never fit in (that heap is not compacted). A dictionary's array stays below the large
/// object heap's 85,000 bytes up to ~1,100 users (72 bytes an entry), so with a capacity above ~650,000 the first reach
/// it. The first sizes (four of .NET's hash primes, 37 to 71, whose doublings stay apart) make four resize waves per
/// doubling, each of a quarter of the users, instead of one.
/// </remarks>
public sealed class InMemoryUserStore : IUserStore
{
    /// <summary>About 15 MB of users, the newest 100,000.</summary>
    public const int DefaultCapacity = 100_000;
    public const int MinCapacity = ShardCount;
    const int ShardCount = 64;
    const int TablesPerShard = 16;
    static readonly int[] FirstCapacities = [37, 47, 59, 71];
    // Owners are API client ids: a few, each repeated on every user it creates; beyond this many, each user keeps its own copy.
    const int MaxSharedOwners = 1024;

    readonly Shard[] _shards;
    readonly ConcurrentDictionary<string, string> _owners = new();
    readonly ILogger? _logger;
    int _forgetting;

    /// <param name="capacity">The most users kept, at least <see cref="MinCapacity"/>.</param>
    public InMemoryUserStore(int capacity = DefaultCapacity, ILogger<InMemoryUserStore>? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, MinCapacity);
        Capacity = capacity;
        _logger = logger;
        _shards = Enumerable.Range(0, ShardCount)
            .Select(i => new Shard(capacity / ShardCount + (i < capacity % ShardCount ? 1 : 0))).ToArray();
    }

    public int Capacity { get; }

    public Task<bool> AddAsync(User user, CancellationToken cancellationToken)
    {
        var (shard, table) = Locate(user.Id);
        lock (shard)
        {
            var users = shard.Table(table);
            if (users.ContainsKey(user.Id)) return Task.FromResult(false);
            if (shard.Order.Count == shard.Capacity)
            {
                ForgetOldest(shard);
                if (_forgetting == 0 && Interlocked.Exchange(ref _forgetting, 1) == 0)
                    _logger?.LogWarning("The in-memory user store holds its {Capacity} users (Users:InMemoryCapacity) and " +
                        "forgets the oldest from now on; their GET /users/{{id}} answers 404. PostgreSQL state keeps every user.", Capacity);
            }
            var (texts, nameBytes, emailBytes) = shard.Texts.Append(user.Name, user.Email);
            users.Add(user.Id, new PackedUser(user.CreatedAt.UtcTicks, (short)user.CreatedAt.TotalOffsetMinutes,
                user.OperationId, texts, nameBytes, emailBytes, Shared(user.Owner)));
            shard.Order.Enqueue(user.Id);
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

    void ForgetOldest(Shard shard)
    {
        var oldest = shard.Order.Dequeue();
        shard.Table(Locate(oldest).Table).Remove(oldest, out var gone);
        shard.Texts.Release(gone.Texts);
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

    sealed class Shard(int capacity)
    {
        public readonly int Capacity = capacity;
        /// <summary>The shard's users, oldest first.</summary>
        public readonly Queue<Guid> Order = new();
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
