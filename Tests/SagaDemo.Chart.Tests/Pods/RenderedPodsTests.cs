using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using Npgsql;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Testing;
using SagaDemo.Testing.Processes;
using Xunit.Abstractions;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// The chart's default install, run without a cluster: every rendered SagaDemo Deployment and the migration Job
/// started as the kubelet would start them (see <see cref="PodTemplate"/>, container-sandbox.sh), each pod in its
/// own network namespace with its own address, PostgreSQL from a throwaway cluster and Kafka from a kafka-dev
/// broker, both reached under the rendered service names. The broker starts late, so pods first run without Kafka.
/// Every pod must become ready through its rendered probes, run from outside its namespace, and no probe may kill
/// one; then the chart's `helm test` pod passes against the api Service and a user and an order complete.
///
/// Kafka's address: the mock broker listens on and advertises 127.0.0.1:&lt;port&gt;. A pod asks the bootstrap name
/// (&lt;release&gt;-kafka:9092, forwarded from the pod's node address to the broker) and is then told to dial
/// 127.0.0.1:&lt;port&gt;, which inside its namespace is its own loopback; so each pod also gets that port forwarded
/// from its loopback to the broker. One namespace shared by broker and pods would need no forwarding but would take
/// the pods' own addresses, and what the probes and the Service reach, away.
/// Not like a cluster: the kafka-exporter Deployment is not started (a foreign image, not obtainable here), no
/// seccomp profile is applied, no service-link variables are injected, the pods share this machine's PID namespace.
/// </summary>
[Collection(PodsCollection.Name)]
public sealed class RenderedPodsTests(ITestOutputHelper output)
{
    static readonly TimeSpan BrokerDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The defaults plus the one setting the README asks for with a kafka-dev broker: librdkafka's mock never wakes a
    /// waiting fetch when a record arrives, so with the default 500 ms wait every hop waits it out (a user-create took
    /// 78 s here); a real Kafka answers at once.
    /// </summary>
    static readonly Render DevBrokerInstall = Renders.Default with { Values = "config: { extraEnv: { Kafka__FetchWaitMax: \"00:00:00.010\" } }\n" };
    static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Every_rendered_pod_becomes_ready_through_its_probes_helm_test_passes_and_both_flows_complete()
    {
        var clock = Stopwatch.StartNew();
        var objects = await DevBrokerInstall.ObjectsAsync();
        var image = ContainerImage.FromDockerfile();
        var run = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..4];
        var scratch = Directory.CreateTempSubdirectory($"deploy-pods-{run}-").FullName;
        var subnet = await PodNetwork.FreeSubnetAsync();
        var pods = new List<RunningPod>();
        var forwarders = new List<TcpForwarder>();
        DevBroker? broker = null;
        PostgresServer? postgres = null;
        try
        {
            var app = await PublishHostAsync(scratch);
            postgres = await PostgresServer.StartNewAsync();
            var (kafkaName, postgresName) = await PrepareDatabaseAsync(objects, postgres);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s image published, PostgreSQL up");

            var workloads = objects.OfKind("Deployment").Where(d => d.Role() is not null).Concat(objects.OfKind("Job")).ToList();
            Assert.Equal(8, workloads.Count);
            var bootstrap = new List<TcpForwarder>();
            for (var i = 0; i < workloads.Count; i++)
            {
                var isJob = (string?)workloads[i]["kind"] == "Job";
                var podName = $"{workloads[i].Name()}-{run}";
                var network = await PodNetwork.CreateAsync(run, i, subnet, podName, [kafkaName, postgresName]);
                var kafka = TcpForwarder.Start(null, new IPEndPoint(network.NodeAddress, 9092));
                forwarders.Add(kafka);
                bootstrap.Add(kafka);
                forwarders.Add(TcpForwarder.Start(null, new IPEndPoint(network.NodeAddress, 5432), new IPEndPoint(IPAddress.Loopback, postgres.Port)));
                pods.Add(RunningPod.Start(PodTemplate.Of(workloads[i], podName, objects, image), network, app, scratch, probe: !isJob));
            }
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s {pods.Count} pods started without Kafka");

            await Task.Delay(BrokerDelay);
            broker = await DevBroker.StartAsync(HostExecutable.Locate());
            var brokerPort = int.Parse(broker.BootstrapServers.Split(':')[^1]);
            var brokerEndpoint = new IPEndPoint(IPAddress.Loopback, brokerPort);
            // The advertised address first, so no pod is ever told an address nobody answers on.
            foreach (var pod in pods)
                forwarders.Add(TcpForwarder.Start(pod.Network.Name, new IPEndPoint(IPAddress.Loopback, brokerPort), brokerEndpoint));
            foreach (var forwarder in bootstrap)
                forwarder.SetTarget(brokerEndpoint);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s broker up at {broker.BootstrapServers}");

            var services = pods.Where(p => p.Prober is not null).ToList();
            var migration = pods.Single(p => p.Prober is null);
            var deadline = DateTime.UtcNow + ReadyTimeout;
            while (!services.All(p => p.Prober!.Ready) && DateTime.UtcNow < deadline && services.All(p => p.Prober!.KilledBy is null))
                await Task.Delay(250);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s ready: {string.Join(", ", services.Select(p => $"{p.Template.Name} {p.Prober!.ReadyAfter?.TotalSeconds:F1}s"))}");
            Assert.True(migration.Process.HasExited, "the migration Job is still running:\n" + migration.Process.Output());
            Assert.True(migration.Process.ExitCode == 0, "the migration Job failed:\n" + migration.Process.Output());
            foreach (var pod in services)
            {
                Assert.True(pod.Prober!.KilledBy is null, $"{pod.Template.Name} killed by its {pod.Prober.KilledBy} probe:\n{Describe(pod)}");
                Assert.True(pod.Prober.Ready, $"{pod.Template.Name} not ready within {ReadyTimeout}:\n{Describe(pod)}");
            }

            var api = services.Single(p => p.Template.Environment["Roles"] == "api");
            await RunHelmTestPodAsync(objects, api, run, subnet, pods.Count, scratch, forwarders);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s helm test passed");

            using var client = new HttpClient { BaseAddress = new Uri($"http://{api.Address}:8080"), Timeout = TimeSpan.FromSeconds(10) };
            var user = await client.StartAsync("/operations/user-create", """{"name":"pod-test","email":"pod-test@example.com"}""");
            var order = await client.StartAsync("/operations/order-create", """{"customerId":"c-pods","items":[{"sku":"book","quantity":1}]}""");
            Assert.Equal("completed", (await client.FinishedAsync(user, TimeSpan.FromSeconds(30))).GetProperty("status").GetString());
            Assert.Equal("completed", (await client.FinishedAsync(order, TimeSpan.FromSeconds(30))).GetProperty("status").GetString());
            Assert.All(services, p => Assert.True(p.Prober!.KilledBy is null && !p.Process.HasExited, Describe(p)));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s user and order completed through the api pod");
            foreach (var pod in services)
                output.WriteLine($"{pod.Template.Name}: {string.Join("; ", pod.Prober!.Events)}");
        }
        finally
        {
            foreach (var forwarder in forwarders)
                forwarder.Dispose();
            foreach (var pod in pods)
                await pod.DisposeAsync();
            broker?.Dispose();
            if (postgres is not null)
                await postgres.DisposeAsync();
            DeleteScratch(scratch);
        }
    }

    /// <summary>The image's content as the Dockerfile's build stage makes it (the build itself is the test project's).</summary>
    static async Task<string> PublishHostAsync(string scratch)
    {
        var app = Path.Combine(scratch, "app");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        var result = await ProcessRunner.RunAsync("dotnet",
            ["publish", RepoPaths.In("Host", "SagaDemo.Host", "SagaDemo.Host.csproj"), "-c", configuration, "--no-build", "-o", app, "-p:UseAppHost=false"],
            RepoPaths.Root, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Output);
        return app;
    }

    /// <summary>The database and role the rendered connection string names; returns the Kafka and PostgreSQL service names.</summary>
    static async Task<(string Kafka, string Postgres)> PrepareDatabaseAsync(IReadOnlyList<JObject> objects, PostgresServer postgres)
    {
        var connection = new NpgsqlConnectionStringBuilder(objects.OfKind("Secret").Single().Entries()["postgres-connection-string"]);
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString))
        {
            await admin.OpenAsync();
            foreach (var sql in new[] { $"CREATE ROLE \"{connection.Username}\" LOGIN PASSWORD '{connection.Password}'",
                         $"CREATE DATABASE \"{connection.Database}\" OWNER \"{connection.Username}\"" })
            {
                await using var command = new NpgsqlCommand(sql, admin);
                await command.ExecuteNonQueryAsync();
            }
        }
        var bootstrap = objects.OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries()["Kafka__BootstrapServers"];
        Assert.EndsWith(":9092", bootstrap);
        Assert.Equal(5432, connection.Port);
        return (bootstrap[..^":9092".Length], connection.Host!);
    }

    /// <summary>
    /// The chart's `helm test` pod: its rendered script and environment, in a namespace of its own, with its API
    /// Service name forwarded from its node address to the api pod's port, as kube-proxy would.
    /// </summary>
    async Task RunHelmTestPodAsync(IReadOnlyList<JObject> objects, RunningPod api, string run, int subnet, int index, string scratch,
        List<TcpForwarder> forwarders)
    {
        var testPod = objects.OfKind("Pod").Single(p => (string?)p["metadata"]!["annotations"]!["helm.sh/hook"] == "test");
        var container = testPod["spec"]!["containers"]![0]!;
        var apiUrl = new Uri(container["env"]!.Single(e => (string?)e["name"] == "API")["value"]!.ToString());
        var service = objects.Single("Service", apiUrl.Host);
        Assert.Equal(apiUrl.Port, (int)service["spec"]!["ports"]![0]!["port"]!);
        await using var network = await PodNetwork.CreateAsync(run, index, subnet, testPod.Name(), [apiUrl.Host]);
        forwarders.Add(TcpForwarder.Start(null, new IPEndPoint(network.NodeAddress, apiUrl.Port), new IPEndPoint(api.Address, 8080)));
        var scriptTmp = Directory.CreateDirectory(Path.Combine(scratch, "helm-test-tmp")).FullName;
        // curlimages/curl is not obtainable: this machine's sh and curl run the script, its /tmp (an emptyDir) a directory of the test.
        var script = ((string)container["args"]![0]!).Replace("/tmp/", scriptTmp + "/", StringComparison.Ordinal);
        List<string> arguments = ["netns", "exec", network.Name, "env", "-i", "PATH=/usr/bin:/bin"];
        arguments.AddRange(container["env"]!.Where(e => e["value"] is not null).Select(e => $"{e["name"]}={e["value"]}"));
        arguments.AddRange([.. container["command"]!.Values<string>().Select(c => c!), script]);
        var result = await ProcessRunner.RunAsync("ip", arguments, scratch, TimeSpan.FromMinutes(3));
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("operation completed", result.Output);
    }

    static string Describe(RunningPod pod) =>
        $"probes: {string.Join("; ", pod.Prober?.Events ?? [])}\n--- output ---\n{pod.Process.Output()}";

    static void DeleteScratch(string scratch)
    {
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
            // A mount namespace that has not gone away yet may hold a root directory for a moment; temp is cleaned anyway.
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PodsCollection
{
    public const string Name = "rendered pods";
}
