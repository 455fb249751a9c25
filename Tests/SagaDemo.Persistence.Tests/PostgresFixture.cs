using SagaDemo.Testing;

namespace SagaDemo.Persistence.Tests;

/// <summary>One throwaway PostgreSQL server for the whole assembly.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
