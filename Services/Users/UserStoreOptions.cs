namespace SagaDemo.Services.Users;

/// <summary>Configuration section <c>Users</c>.</summary>
public sealed class UserStoreOptions
{
    public const string Section = "Users";

    /// <summary>
    /// The most users the in-memory store keeps (state without PostgreSQL); past it, each new user makes it forget an
    /// old one, so a long one-process run's memory stays level. At least <see cref="InMemoryUserStore.MinCapacity"/>.
    /// PostgreSQL keeps every user.
    /// </summary>
    public int InMemoryCapacity { get; set; } = InMemoryUserStore.DefaultCapacity;
}
