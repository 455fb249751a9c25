namespace SagaDemo.Testing;

/// <summary>Where the PostgreSQL server binaries are and which user must run them.</summary>
public sealed record PostgresBinaries(string BinDirectory, string? RunAsUser)
{
    /// <summary>Overrides the search, e.g. for a non-Debian install.</summary>
    public const string BinDirectoryVariable = "SAGADEMO_PG_BIN";

    public const string RunUser = "runuser";

    public string InitDb => Path.Combine(BinDirectory, "initdb");
    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    public static PostgresBinaries Locate()
    {
        var bin = Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } configured
            ? configured
            : DebianBinDirectories().FirstOrDefault()
              ?? throw new InvalidOperationException(
                  $"No PostgreSQL server binaries found under /usr/lib/postgresql/*/bin; install the 'postgresql' package (scripts/setup.sh) or set {BinDirectoryVariable}.");
        if (!File.Exists(Path.Combine(bin, "initdb")))
            throw new InvalidOperationException($"{bin} holds no initdb.");

        // postgres refuses to start as root; as root we hand the cluster to the postgres system user.
        string? runAs = null;
        if (Environment.IsPrivilegedProcess)
        {
            if (!File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)))
                throw new InvalidOperationException("Running as root but there is no 'postgres' system user to run the server as.");
            runAs = "postgres";
        }
        return new PostgresBinaries(bin, runAs);
    }

    // Newest major version first.
    static IEnumerable<string> DebianBinDirectories()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return [];
        return Directory.GetDirectories(root)
            .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
            .OrderByDescending(x => x.version)
            .Select(x => Path.Combine(x.dir, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")));
    }
}
