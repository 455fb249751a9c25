using System.Net.Http.Headers;
using SagaDemo.Services.Http.Access;
using SagaDemo.Testing;

namespace SagaDemo.Api.Tests.Security;

/// <summary>The whole host with API keys on: client "shop" configured by hash, client "backoffice" by plain key.</summary>
public class SecuredApiFactory() : SagaDemoHostFactory(QuickWith([
    new("Auth:Mode", "ApiKey"),
    new("Auth:ApiKeys:0:ClientId", "shop"),
    new("Auth:ApiKeys:0:KeyHash", ApiKeyVerifier.Hash(ShopKey).ToUpperInvariant()),
    new("Auth:ApiKeys:1:ClientId", "backoffice"),
    new("Auth:ApiKeys:1:Key", BackofficeKey)]))
{
    public const string ShopKey = "shop-key-3f9a1c2e8b7d";
    public const string BackofficeKey = "backoffice-key-77d0e4";

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
            client.DefaultRequestHeaders.TryAddWithoutValidation(ApiKeyAuthenticationHandler.Header, key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}

/// <summary>The same host with API keys on, keeping every service's state in a throwaway PostgreSQL.</summary>
public sealed class SecuredPostgresApiFactory : SecuredApiFactory, IAsyncLifetime
{
    PostgresServer? _postgres;
    string? _database;

    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings =>
        [new("ConnectionStrings:Postgres", _database ?? throw new InvalidOperationException("PostgreSQL has not started."))];

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartNewAsync();
        _database = await _postgres.CreateDatabaseAsync("bad_input");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
    }
}
