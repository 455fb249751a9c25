using System.Reflection;
using System.Runtime.InteropServices;

namespace SagaDemo.Kafka.Native;

/// <summary>
/// Pins the one librdkafka this process uses, for Confluent.Kafka and for the mock cluster's own P/Invokes: a file
/// the librdkafka.redist package ships for this platform, never a system librdkafka. Left alone, Confluent's loader
/// tries the name "librdkafka" first, which finds a system library when one is installed (Debian's librdkafka-dev
/// 2.0.2 then fails mid-run on functions it lacks), and the package's default linux-x64 file needs libsasl2.so.3,
/// which Debian and Ubuntu do not ship. One file also means one mock-cluster implementation and one set of globals.
/// </summary>
public static class NativeLibraryLocator
{
    internal const string LibraryName = "rdkafka";

    /// <summary>Environment variable naming another librdkafka file to load instead; it must pass the same version check.</summary>
    public const string PathVariable = "SAGADEMO_LIBRDKAFKA";

    // In the order tried. centos8: needs only glibc, has OpenSSL and SASL PLAIN/SCRAM/OAUTHBEARER built in (no GSSAPI);
    // librdkafka.so: the package's default build (on x64 linked to Cyrus SASL for GSSAPI; on arm64 the only glibc one);
    // alpine: musl. A file that does not load here (missing dependency, other libc) is skipped.
    static readonly string[] PackageFiles = ["centos8-librdkafka.so", "librdkafka.so", "alpine-librdkafka.so"];

    static readonly object Gate = new();
    static LoadedLibrary? _loaded;
    static InvalidOperationException? _refused;
    static IntPtr _handle;

    /// <summary>The library in use; loads and checks it on first call. Call before any Confluent.Kafka client is built.</summary>
    public static LoadedLibrary EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded is not null)
                return _loaded;
            if (_refused is not null)
                throw _refused; // the resolvers are set once per process; a refused library stays refused

            var (path, handle) = Load();
            _handle = handle;
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLocator).Assembly, Resolve);
            NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
            var loaded = new LoadedLibrary(path, Confluent.Kafka.Library.VersionString, Confluent.Kafka.Library.Version, BuiltinFeatures());
            if ((VersionProblem(loaded) ?? OtherCopyProblem(loaded.Path)) is { } problem)
                throw _refused = new InvalidOperationException(problem);
            _loaded = loaded;
            return loaded;
        }
    }

    /// <summary>Where the package's files for this platform are: the build output and a portable publish keep NuGet's
    /// runtimes/&lt;rid&gt;/native layout; a publish for one runtime identifier puts them next to the application.</summary>
    static IEnumerable<string> PackageCandidates()
    {
        var rid = "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string[] directories = [Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"), AppContext.BaseDirectory];
        return directories.SelectMany(d => PackageFiles.Select(f => Path.Combine(d, f))).Where(File.Exists);
    }

    static (string Path, IntPtr Handle) Load()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("SagaDemo's Kafka rider runs on Linux only.");
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
            return (configured, NativeLibrary.Load(configured));

        var failures = new List<string>();
        foreach (var candidate in PackageCandidates())
        {
            try
            {
                return (candidate, NativeLibrary.Load(candidate));
            }
            catch (DllNotFoundException e)
            {
                failures.Add(e.Message);
            }
        }
        throw new DllNotFoundException(
            $"No librdkafka from the librdkafka.redist package loads from {AppContext.BaseDirectory} " +
            $"(looked for {string.Join(", ", PackageFiles)} under runtimes/linux-<arch>/native and beside the application). " +
            $"Set {PathVariable} to a librdkafka file to use instead. {string.Join(" ", failures)}");
    }

    /// <summary>
    /// Decided: the loaded librdkafka must have the major and minor version of Confluent.Kafka (its librdkafka.redist
    /// ships in step). An older one lacks functions Confluent.Kafka binds and fails mid-run; a newer minor may change
    /// behaviour the rider was verified against (pause/resume, commits, the mock cluster). A newer patch is accepted.
    /// </summary>
    public static string? VersionProblem(LoadedLibrary loaded)
    {
        var managed = typeof(Confluent.Kafka.Library).Assembly.GetName().Version!;
        return loaded.Major == managed.Major && loaded.Minor == managed.Minor ? null :
            $"librdkafka {loaded.Version} at {loaded.Path} does not match Confluent.Kafka {managed.ToString(3)}, " +
            $"which needs librdkafka {managed.Major}.{managed.Minor}.x; refusing to run on it.";
    }

    /// <summary>A librdkafka mapped before the resolvers were set (a Confluent client built first) would run beside ours.</summary>
    static string? OtherCopyProblem(string path)
    {
        var ours = Path.GetFullPath(path);
        var others = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].Contains("rdkafka", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .Where(mapped => !string.Equals(Path.GetFullPath(mapped), ours, StringComparison.Ordinal))
            .Distinct()
            .ToList();
        return others.Count == 0 ? null :
            $"Another librdkafka ({string.Join(", ", others)}) was loaded before {ours} was pinned: " +
            $"call {nameof(NativeLibraryLocator)}.{nameof(EnsureLoaded)} before building any Confluent.Kafka client.";
    }

    static string BuiltinFeatures()
    {
        var conf = RdKafkaNative.ConfNew();
        try
        {
            var value = new byte[1024];
            var size = (UIntPtr)value.Length;
            return RdKafkaNative.ConfGet(conf, "builtin.features", value, ref size) == 0
                ? System.Text.Encoding.UTF8.GetString(value, 0, Math.Max(0, (int)size - 1))
                : "unknown";
        }
        finally
        {
            RdKafkaNative.ConfDestroy(conf);
        }
    }

    // Confluent.Kafka's DllImports name "librdkafka" (or a platform file name when the first fails); ours name "rdkafka".
    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name.Contains(LibraryName, StringComparison.Ordinal) ? _handle : IntPtr.Zero;
}

/// <summary>The librdkafka in use: its file, version and compiled-in features (e.g. <c>ssl,sasl_plain,...</c>).</summary>
public sealed record LoadedLibrary(string Path, string Version, int VersionNumber, string Features)
{
    // librdkafka encodes its version as 0xMMmmrrpp.
    public int Major => (VersionNumber >> 24) & 0xff;
    public int Minor => (VersionNumber >> 16) & 0xff;

    public override string ToString() => $"librdkafka {Version} ({Features}) from {Path}";
}
