using System.Collections.Concurrent;

namespace SagaDemo.Services.Users;

/// <summary>Users in process memory, for one-process runs and tests.</summary>
public sealed class InMemoryUserStore : IUserStore
{
    readonly ConcurrentDictionary<Guid, User> _users = new();

    public Task<bool> AddAsync(User user, CancellationToken cancellationToken) => Task.FromResult(_users.TryAdd(user.Id, user));

    public Task<User?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_users.GetValueOrDefault(id));
}
