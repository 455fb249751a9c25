using SagaDemo.Testing;
using Npgsql;

namespace SagaDemo.Persistence.Tests.Security;

/// <summary>
/// TLS settings in <c>ConnectionStrings:Postgres</c> reach Npgsql unchanged: a server without TLS (the
/// throwaway one) is refused under <c>SSL Mode=Require</c> rather than used in plain text.
/// </summary>
public sealed class PostgresTlsTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    [Theory]
    [InlineData("Require")]
    [InlineData("VerifyFull")]
    public async Task Required_tls_against_a_server_without_tls_fails_with_a_clear_error(string sslMode)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString + $";SSL Mode={sslMode}");

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Contains("SSL", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Disabled_tls_connects_in_plain_text_which_is_why_production_sets_verify_full()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString + ";SSL Mode=Disable");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        Assert.False((bool)(await command.ExecuteScalarAsync())!);
    }
}
