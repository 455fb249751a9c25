using System.Reflection;
using System.Runtime.InteropServices;

namespace SagaDemo.Kafka.Native;

/// <summary>
/// Points Confluent.Kafka and our own P/Invokes at one librdkafka: Debian's system library, since the
/// feed lacks librdkafka.redist. Two copies in one process would mean two mock-cluster implementations
/// and two sets of globals.
/// </summary>
public static class NativeLibraryLocator
{
    internal const string LibraryName = "rdkafka";

    static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/librdkafka.so.1",
        "/usr/lib/aarch64-linux-gnu/librdkafka.so.1",
        "/usr/lib/librdkafka.so.1",
        "/usr/local/lib/librdkafka.so.1",
    ];

    static readonly object Gate = new();
    static string? _loadedPath;

    /// <summary>The path of the library in use; loads it on first call.</summary>
    public static string EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loadedPath is not null)
                return _loadedPath;

            var configured = Environment.GetEnvironmentVariable("SAGADEMO_LIBRDKAFKA");
            var path = !string.IsNullOrEmpty(configured) ? configured : Candidates.FirstOrDefault(File.Exists)
                ?? throw new DllNotFoundException(
                    "librdkafka.so.1 not found; install Debian's librdkafka-dev (scripts/setup.sh) or set SAGADEMO_LIBRDKAFKA.");

            // Confluent.Kafka 1.9.3's own Library.Load(path) dlopens through "libdl", which glibc >= 2.34 no
            // longer ships; resolving its [DllImport("librdkafka")] ourselves loads the same file instead.
            _loadedPath = path;
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLocator).Assembly, Resolve);
            NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
            _ = Confluent.Kafka.Library.Version; // loads it now, so a missing symbol fails here, not mid-run
            _loadedPath = path;
            return path;
        }
    }

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name is LibraryName or "librdkafka" && _loadedPath is not null ? NativeLibrary.Load(_loadedPath) : IntPtr.Zero;
}
