namespace SagaDemo.Services.Hosting.Retention;

/// <summary>An in-memory store that forgets finished work past retention.</summary>
public interface IRetainedStore
{
    /// <summary>What the store holds, for logs and metrics.</summary>
    string Name { get; }

    /// <summary>Removes finished entries that finished before <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}

/// <summary>For a store that keeps nothing in this process (a test's replacement, say): nothing to prune.</summary>
public sealed class NothingRetained : IRetainedStore
{
    public string Name => "nothing";

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => Task.FromResult(0);
}
