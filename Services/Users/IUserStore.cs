namespace SagaDemo.Services.Users;

/// <summary>Where created users live.</summary>
public interface IUserStore
{
    /// <summary>Adds the user unless one with its id exists; returns false (and changes nothing) then.</summary>
    Task<bool> AddAsync(User user, CancellationToken cancellationToken);

    Task<User?> FindAsync(Guid id, CancellationToken cancellationToken);
}
