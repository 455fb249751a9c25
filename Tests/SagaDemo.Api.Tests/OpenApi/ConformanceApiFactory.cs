using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SagaDemo.Host.Http;
using SagaDemo.Services.Operations;
using SagaDemo.Api.Tests.Security;

namespace SagaDemo.Api.Tests.OpenApi;

/// <summary>The whole host with API keys and a per-client rate limit on, so 401 and 429 are real answers too.</summary>
public sealed class ConformanceApiFactory : SecuredApiFactory
{
    public const int PermitsPerSecond = 20;

    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings =>
        [new("RateLimiting:PermitsPerSecond", PermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>
/// The whole host whose database is unreachable when an operation is stored: the launcher fails the way Npgsql
/// does when it cannot connect (a transient NpgsqlException), and the host's handler turns that into 503.
/// </summary>
public sealed class StorageOutageApiFactory : SecuredApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddScoped<IOperationLauncher, UnreachableDatabaseLauncher>();
            // What the host registers with PostgreSQL configured (PostgresStorage).
            services.AddExceptionHandler<StorageUnavailableExceptionHandler>();
        });
    }

    private sealed class UnreachableDatabaseLauncher : IOperationLauncher
    {
        public Task<Operation> LaunchAsync<T>(Operation pending, T message, CancellationToken cancellationToken) where T : class =>
            throw new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));
    }
}
