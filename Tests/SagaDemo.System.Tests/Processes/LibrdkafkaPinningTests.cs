using SagaDemo.Kafka.Native;
using SagaDemo.Testing.Processes;

namespace SagaDemo.System.Tests.Processes;

/// <summary>
/// The host runs on the librdkafka of its librdkafka.redist package, whatever other librdkafka the machine offers
/// first, and says which one at start.
/// </summary>
[Collection(ProcessesCollection.Name)]
public sealed class LibrdkafkaPinningTests
{
    static readonly string PackageVersion = typeof(Confluent.Kafka.Library).Assembly.GetName().Version!.ToString(3);

    [Fact]
    public async Task A_librdkafka_first_on_the_library_path_is_ignored_and_the_packages_own_is_the_only_one_loaded()
    {
        var hostDll = HostExecutable.Locate();
        var hostDirectory = Path.GetDirectoryName(hostDll)!;
        // The decoy: a librdkafka that loads (a copy of the package's own), where the default loader looks first.
        var decoys = Directory.CreateTempSubdirectory("sagademo-kafka216-decoy-").FullName;
        try
        {
            var packaged = Directory.EnumerateFiles(Path.Combine(hostDirectory, "runtimes"), "*librdkafka.so", SearchOption.AllDirectories).First();
            foreach (var name in new[] { "librdkafka.so", "librdkafka.so.1" })
                File.Copy(packaged, Path.Combine(decoys, name));
            using var host = ChildProcess.Dotnet("users", hostDll, ["--Roles=users", $"--urls=http://127.0.0.1:{LoopbackPort.Free()}"],
                new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = decoys });

            host.Start();
            var reported = await host.WaitForLineAsync(l => l.Contains("librdkafka ", StringComparison.Ordinal) && l.Contains(" from ", StringComparison.Ordinal) ? l : null,
                TimeSpan.FromSeconds(60));
            // Consumers and the producer built and running: every Confluent.Kafka binding resolved by now.
            await host.WaitForLineAsync(l => l.Contains("assigned", StringComparison.Ordinal) ? l : null, TimeSpan.FromSeconds(60));

            var mapped = File.ReadLines($"/proc/{host.Id}/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 6 && f[5].Contains("rdkafka", StringComparison.Ordinal)).Select(f => f[5]).Distinct().ToList();
            var loaded = Assert.Single(mapped);
            Assert.StartsWith(hostDirectory, loaded);
            Assert.Contains($"librdkafka {PackageVersion}", reported);
            Assert.Contains("sasl_scram", reported); // the features SASL_SSL deployments need are built in
            Assert.Contains("ssl", reported);
        }
        finally
        {
            Directory.Delete(decoys, recursive: true);
        }
    }
}

public sealed class LibrdkafkaVersionCheckTests
{
    [Theory]
    [InlineData(0x020002ff, false)] // Debian 12's 2.0.2: lacks functions Confluent.Kafka 2.16 binds
    [InlineData(0x021000ff, true)]
    [InlineData(0x021003ff, true)] // a later patch release
    [InlineData(0x021100ff, false)] // a later minor: not what the rider was verified on
    [InlineData(0x030000ff, false)]
    public void Only_the_major_and_minor_version_of_ConfluentKafka_is_accepted(int version, bool accepted) =>
        Assert.Equal(accepted, NativeLibraryLocator.VersionProblem(new LoadedLibrary("/x/librdkafka.so", "x", version, "")) is null);

    [Fact]
    public void This_process_runs_on_the_packages_librdkafka_alone()
    {
        var loaded = NativeLibraryLocator.EnsureLoaded();
        Assert.Equal(typeof(Confluent.Kafka.Library).Assembly.GetName().Version!.ToString(3), loaded.Version);
        Assert.StartsWith(AppContext.BaseDirectory, loaded.Path);
    }
}
