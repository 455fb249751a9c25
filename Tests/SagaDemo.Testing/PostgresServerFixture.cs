using Xunit;

namespace SagaDemo.Testing;

/// <summary>A throwaway PostgreSQL server as an xUnit fixture: per test class (<c>IClassFixture</c>) or per collection.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
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
