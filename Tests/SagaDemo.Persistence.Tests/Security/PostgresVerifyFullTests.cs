using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using SagaDemo.Testing;

namespace SagaDemo.Persistence.Tests.Security;

/// <summary>
/// PostgreSQL over verified TLS the way the Helm chart sets it up: <c>SSL Mode=VerifyFull</c> in the connection
/// string and a private CA named by <c>PGSSLROOTCERT</c> (postgresTls.caCert, mounted into the pod). A throwaway
/// server gets a certificate from a CA made for the test; <c>SagaDemo.Host migrate</c> runs as a real process.
/// </summary>
public sealed class PostgresVerifyFullTests : IAsyncLifetime
{
    PostgresServer? _server;
    string _caFile = "";

    PostgresServer Server => _server!;

    public async Task InitializeAsync()
    {
        // Its own server: switching TLS on must not change what the shared server's other tests see.
        _server = await PostgresServer.StartNewAsync();
        var tls = Path.Combine(Server.RootDirectory, "tls");
        Directory.CreateDirectory(tls);
        var (caPem, certPem, keyPem) = CreateCertificates();
        _caFile = Path.Combine(tls, "ca.crt");
        await File.WriteAllTextAsync(_caFile, caPem);
        var certFile = Path.Combine(tls, "server.crt");
        var keyFile = Path.Combine(tls, "server.key");
        await File.WriteAllTextAsync(certFile, certPem);
        await File.WriteAllTextAsync(keyFile, keyPem);
        // PostgreSQL refuses a key file others can read, and one not owned by the user it runs as.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (PostgresBinaries.Locate().RunAsUser is { } user)
        {
            var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{user}:{user}", tls], tls, TimeSpan.FromSeconds(10));
            Assert.True(chown.ExitCode == 0, chown.Output);
        }

        await using (var connection = new NpgsqlConnection(Server.ConnectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            foreach (var sql in new[]
                     {
                         $"ALTER SYSTEM SET ssl_cert_file = '{certFile}'", $"ALTER SYSTEM SET ssl_key_file = '{keyFile}'",
                         "ALTER SYSTEM SET ssl = on", "SELECT pg_reload_conf()",
                     })
                await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
        }
        // The reload applies to connections made after it; wait until one gets TLS.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await ConnectsOverTlsAsync($"SSL Mode=VerifyFull;Root Certificate={_caFile}"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the server did not offer TLS after the reload:\n" + Server.ReadLog());
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Fact]
    public async Task Migrate_verifies_the_server_against_the_ca_in_PGSSLROOTCERT_and_refuses_without_it()
    {
        var connectionString = Server.ConnectionString + ";SSL Mode=VerifyFull";

        var trusted = await MigrateAsync(connectionString, rootCertificate: _caFile);
        var untrusted = await MigrateAsync(connectionString, rootCertificate: null);

        Assert.True(trusted.ExitCode == 0, trusted.Output);
        Assert.Contains("applied", trusted.Output);
        Assert.True(untrusted.ExitCode != 0, "VerifyFull accepted a certificate from an unknown CA:\n" + untrusted.Output);
        Assert.Contains("SSL handshake", untrusted.Output);
    }

    [Fact]
    public async Task The_verified_connection_really_is_encrypted() =>
        Assert.True(await ConnectsOverTlsAsync($"SSL Mode=VerifyFull;Root Certificate={_caFile}"));

    static Task<ProcessRunner.Result> MigrateAsync(string connectionString, string? rootCertificate) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "SagaDemo.Host.dll"), "migrate", $"--ConnectionStrings:Postgres={connectionString}"],
            AppContext.BaseDirectory, TimeSpan.FromSeconds(60), environment: new Dictionary<string, string?> { ["PGSSLROOTCERT"] = rootCertificate });

    async Task<bool> ConnectsOverTlsAsync(string tls)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Server.ConnectionString + ";Pooling=false;" + tls);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
            return (bool)(await command.ExecuteScalarAsync())!;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>A CA and a server certificate it signed for 127.0.0.1 (and localhost), as PEM.</summary>
    static (string Ca, string Certificate, string Key) CreateCertificates()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=SagaDemo test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        return (ca.ExportCertificatePem(), certificate.ExportCertificatePem(), serverKey.ExportPkcs8PrivateKeyPem());
    }
}
