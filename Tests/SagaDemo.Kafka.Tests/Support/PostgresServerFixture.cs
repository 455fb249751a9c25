using SagaDemo.Testing;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>A throwaway PostgreSQL server for one test class (<c>IClassFixture&lt;PostgresServerFixture&gt;</c>).</summary>
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
