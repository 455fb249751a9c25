using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SagaDemo.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for tests: initdb in a temp dir, postgres on a free 127.0.0.1 port,
/// removed on dispose. Uses the distribution's binaries (Debian: /usr/lib/postgresql/*/bin), so tests
/// run against a real server without Docker. Connections over TCP are trusted, or, with
/// <c>passwordAuthentication</c>, need the login's password (SCRAM-SHA-256, like a deployed server).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable, IDisposable
{
    const string Superuser = "postgres";
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    readonly PostgresBinaries _binaries;
    readonly string _root;
    readonly string _dataDir;
    readonly string _logFile;
    readonly ConcurrentDictionary<string, string> _databases = new();
    readonly SemaphoreSlim _lifecycle = new(1, 1);
    bool _running;
    bool _disposed;

    PostgresServer(PostgresBinaries binaries, string root, int port, string? superuserPassword)
    {
        SuperuserPassword = superuserPassword;
        _binaries = binaries;
        _root = root;
        _dataDir = Path.Combine(root, "data");
        _logFile = Path.Combine(root, "postgres.log");
        Port = port;
        // A test host that dies without disposing must not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public int Port { get; }

    /// <summary>The superuser's password when TCP connections need one; null when they are trusted.</summary>
    public string? SuperuserPassword { get; }

    /// <summary>The temp dir holding data directory, socket and log; deleted on dispose.</summary>
    public string RootDirectory => _root;

    /// <summary>Connection string of the maintenance database <c>postgres</c>.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    public bool IsRunning => _running;

    /// <summary>Creates the cluster and starts it; throws with the server log when that fails.</summary>
    public static Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default) =>
        StartNewAsync(passwordAuthentication: false, cancellationToken);

    /// <param name="passwordAuthentication">TCP logins must give their password (the superuser's: <see cref="SuperuserPassword"/>).</param>
    public static async Task<PostgresServer> StartNewAsync(bool passwordAuthentication, CancellationToken cancellationToken = default)
    {
        var binaries = PostgresBinaries.Locate();
        var root = Directory.CreateTempSubdirectory("sagademo-pg-").FullName;
        var password = passwordAuthentication ? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) : null;
        var server = new PostgresServer(binaries, root, Processes.LoopbackPort.Free(), password);
        try
        {
            await server.InitAsync(cancellationToken);
            await server.StartAsync(cancellationToken: cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Password = SuperuserPassword,
        Database = database,
        IncludeErrorDetail = true,
        Timeout = 10,
        MaxPoolSize = 200,
    }.ConnectionString;

    /// <summary>Creates the database if it does not exist yet and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (_databases.TryGetValue(name, out var existing))
            return existing;

        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", connection);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Created by an earlier call; databases outlive test classes only within this server.
            }
        }

        return _databases.GetOrAdd(name, ConnectionStringFor(name));
    }

    /// <summary>Starts the (stopped) server again on the same port; data written before the stop is kept.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_running)
                return;
            var options = string.Join(' ',
                $"-p {Port}", "-h 127.0.0.1", $"-k {_root}",
                // fsync=off: commits reach the OS page cache only, which survives a server crash (all tests
                // simulate) but not a machine crash. synchronous_commit stays on: an immediate stop would
                // otherwise lose the last committed transactions still in WAL buffers.
                "-c fsync=off", "-c full_page_writes=off",
                "-c max_connections=300", "-c shared_buffers=32MB");
            await RunAsync(_binaries.PgCtl, ["start", "-D", _dataDir, "-l", _logFile, "-w", "-t", "30", "-o", options],
                cancellationToken);
            _running = true;
            await WaitUntilAcceptingAsync(cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the server like a crash (immediate mode: no checkpoint, recovery on next start).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (!_running)
                return;
            await RunAsync(_binaries.PgCtl, ["stop", "-D", _dataDir, "-m", "immediate", "-w"], cancellationToken);
            _running = false;
            // Pooled connections point at the dead server; drop them so the next open connects anew.
            NpgsqlConnection.ClearAllPools();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>The server log, for failure messages.</summary>
    public string ReadLog() => File.Exists(_logFile) ? File.ReadAllText(_logFile) : "";

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (_running)
                await StopAsync();
        }
        finally
        {
            DeleteRoot();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    void OnProcessExit(object? sender, EventArgs e) => Dispose();

    async Task InitAsync(CancellationToken cancellationToken)
    {
        List<string> authentication = ["-A", "trust"];
        if (SuperuserPassword is not null)
        {
            // The socket (pg_ctl's own checks) stays trusted; every TCP login proves its password.
            var passwordFile = Path.Combine(_root, "superuser-password");
            await File.WriteAllTextAsync(passwordFile, SuperuserPassword, cancellationToken);
            authentication = ["--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}"];
        }
        if (_binaries.RunAsUser is { } user)
            // postgres refuses to run as root: the cluster belongs to the postgres system user.
            await RunProcessAsync("chown", ["-R", $"{user}:{user}", _root], cancellationToken);
        await RunAsync(_binaries.InitDb,
            ["-D", _dataDir, "-U", Superuser, .. authentication, "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            cancellationToken);
    }

    async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    Task RunAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        _binaries.RunAsUser is { } user
            ? RunProcessAsync(PostgresBinaries.RunUser, ["-u", user, "--", executable, .. arguments], cancellationToken)
            : RunProcessAsync(executable, arguments, cancellationToken);

    async Task RunProcessAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(executable, arguments, _root, StartTimeout, cancellationToken);
        if (result.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(executable)} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.Output}\n--- server log ---\n{ReadLog()}");
    }

    void DeleteRoot()
    {
        // Exiting server processes can still write a file or two right after pg_ctl returns: retry briefly.
        for (var attempt = 0; Directory.Exists(_root); attempt++)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException) when (attempt < 40)
            {
                Thread.Sleep(50);
            }
        }
    }

}
