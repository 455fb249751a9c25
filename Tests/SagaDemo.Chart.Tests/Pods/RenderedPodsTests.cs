using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using Npgsql;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Host.Composition;
using SagaDemo.Testing;
using SagaDemo.Testing.Processes;
using Xunit.Abstractions;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// The chart's install with the bundled PostgreSQL, run without a cluster: every rendered SagaDemo Deployment and the
/// migration Job started as the kubelet would start them (see <see cref="PodTemplate"/>, container-sandbox.sh), each
/// pod in its own network namespace with its own address, PostgreSQL from a throwaway cluster that checks passwords,
/// initialized as the Bitnami chart would from the rendered bundled Secret, and Kafka from a kafka-dev broker, both
/// reached under the rendered service names. The migration Job creates every stateful service's login and limits it
/// to its schema; each service runs with its own login. The broker starts late, so pods first run without Kafka.
/// Every pod must become ready through its rendered probes, run from outside its namespace, and no probe may kill
/// one; then the chart's `helm test` pod passes against the api Service and a user and an order complete. Finally
/// the connections each pod made are set against its rendered NetworkPolicy, and the topics each service produced and
/// consumed against its principal's ACLs (neither is enforced here: no CNI, and the mock broker knows neither SASL nor
/// ACLs, so Kafka is an external PLAINTEXT one in this install).
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
    /// Kafka outside the release (the mock broker) plus the one setting the README asks for with a kafka-dev broker:
    /// librdkafka's mock never wakes a waiting fetch when a record arrives, so with the default 500 ms wait every hop
    /// waits it out (a user-create took 78 s here); a real Kafka answers at once.
    /// </summary>
    static readonly Render DevBrokerInstall = Renders.ExternalPlaintextKafka.With("config: { extraEnv: { Kafka__FetchWaitMax: \"00:00:00.010\" } }\n");
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
        var connections = new Dictionary<RunningPod, PodConnections>();
        DevBroker? broker = null;
        PostgresServer? postgres = null;
        try
        {
            var app = await PublishHostAsync(scratch);
            postgres = await PostgresServer.StartNewAsync(passwordAuthentication: true);
            var admin = await BundledPostgres.InitializeAsync(objects, postgres);
            var (kafkaName, postgresName) = ServiceNames(objects);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s image published, PostgreSQL up");

            var workloads = objects.OfKind("Deployment").Where(d => d.Role() is not null).Concat(objects.OfKind("Job")).ToList();
            Assert.Equal(8, workloads.Count);
            var bootstrap = new List<TcpForwarder>();
            for (var i = 0; i < workloads.Count; i++)
            {
                var isJob = (string?)workloads[i]["kind"] == "Job";
                var podName = $"{workloads[i].Name()}-{run}";
                var network = await PodNetwork.CreateAsync(run, i, subnet, podName, [kafkaName, postgresName]);
                var used = new PodConnections((JObject)workloads[i]["spec"]!["template"]!["metadata"]!["labels"]!);
                var kafka = used.Track(Kafka, TcpForwarder.Start(null, new IPEndPoint(network.NodeAddress, 9092)));
                forwarders.Add(kafka);
                bootstrap.Add(kafka);
                forwarders.Add(used.Track(Postgres, TcpForwarder.Start(null, new IPEndPoint(network.NodeAddress, 5432), new IPEndPoint(IPAddress.Loopback, postgres.Port))));
                var pod = RunningPod.Start(PodTemplate.Of(workloads[i], podName, objects, image), network, app, scratch, probe: !isJob);
                pods.Add(pod);
                connections[pod] = used;
            }
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s {pods.Count} pods started without Kafka");

            await Task.Delay(BrokerDelay);
            broker = await DevBroker.StartAsync(HostExecutable.Locate());
            var brokerPort = int.Parse(broker.BootstrapServers.Split(':')[^1]);
            var brokerEndpoint = new IPEndPoint(IPAddress.Loopback, brokerPort);
            // The advertised address first, so no pod is ever told an address nobody answers on.
            foreach (var pod in pods)
                forwarders.Add(connections[pod].Track(Kafka, TcpForwarder.Start(pod.Network.Name, new IPEndPoint(IPAddress.Loopback, brokerPort), brokerEndpoint)));
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
            Assert.Contains("login sagademo_api (api): created", migration.Process.Output());
            foreach (var pod in services)
            {
                Assert.True(pod.Prober!.KilledBy is null, $"{pod.Template.Name} killed by its {pod.Prober.KilledBy} probe:\n{Describe(pod)}");
                Assert.True(pod.Prober.Ready, $"{pod.Template.Name} not ready within {ReadyTimeout}:\n{Describe(pod)}");
            }

            var api = services.Single(p => p.Template.Environment["Roles"] == "api");
            var helmTest = await RunHelmTestPodAsync(objects, api, run, subnet, pods.Count, scratch, forwarders);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s helm test passed");

            using var client = new HttpClient { BaseAddress = new Uri($"http://{api.Address}:8080"), Timeout = TimeSpan.FromSeconds(10) };
            var user = await client.StartAsync("/operations/user-create", """{"name":"pod-test","email":"pod-test@example.com"}""");
            var order = await client.StartAsync("/operations/order-create", """{"customerId":"c-pods","items":[{"sku":"book","quantity":1}]}""");
            Assert.Equal("completed", (await client.FinishedAsync(user, TimeSpan.FromSeconds(30))).GetProperty("status").GetString());
            Assert.Equal("completed", (await client.FinishedAsync(order, TimeSpan.FromSeconds(30))).GetProperty("status").GetString());
            Assert.All(services, p => Assert.True(p.Prober!.KilledBy is null && !p.Process.HasExited, Describe(p)));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s user and order completed through the api pod");

            await AssertServicesUsedTheirOwnLoginsAsync(services, admin);
            AssertConnectionsFitTheNetworkPolicies(objects, pods, connections, helmTest);
            await AssertKafkaTrafficFitsTheAclsAsync(services);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s logins, network policies and ACLs checked against what the pods did");
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

    const string Kafka = "kafka", Postgres = "postgresql", Api = "api";

    /// <summary>The Kafka and PostgreSQL service names the rendered configuration names.</summary>
    static (string Kafka, string Postgres) ServiceNames(IReadOnlyList<JObject> objects)
    {
        var connection = new NpgsqlConnectionStringBuilder(objects.OfKind("Secret").Single(s => s.Name().EndsWith("-saga-demo-credentials")).Entries()["postgres-connection-string"]);
        var bootstrap = objects.OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries()["Kafka__BootstrapServers"];
        Assert.EndsWith(":9092", bootstrap);
        Assert.Equal(5432, connection.Port);
        return (bootstrap[..^":9092".Length], connection.Host!);
    }

    /// <summary>Each stateful service ran as its own login (approval without any), which the server confines to its schema.</summary>
    static async Task AssertServicesUsedTheirOwnLoginsAsync(IReadOnlyList<RunningPod> services, string admin)
    {
        foreach (var pod in services)
        {
            var role = pod.Template.Environment["Roles"];
            if (!RoleCatalog.SchemaByRole.TryGetValue(role, out var schema))
            {
                Assert.DoesNotContain("ConnectionStrings__Postgres", pod.Template.Environment.Keys);
                continue;
            }
            var login = new NpgsqlConnectionStringBuilder(pod.Template.Environment["ConnectionStrings__Postgres"]).Username!;
            Assert.Equal($"sagademo_{role}", login);
            var other = RoleCatalog.SchemaByRole.Values.First(s => s.Name != schema.Name).Name;
            Assert.True(await BundledPostgres.HasPrivilegeAsync(admin, $"SELECT has_table_privilege('{login}', '{schema.Name}.inbox', 'INSERT')"), login);
            Assert.False(await BundledPostgres.HasPrivilegeAsync(admin, $"SELECT has_schema_privilege('{login}', '{schema.Name}', 'CREATE')"), login);
            Assert.False(await BundledPostgres.HasPrivilegeAsync(admin, $"SELECT has_table_privilege('{login}', '{other}.inbox', 'SELECT')"), login);
        }
    }

    /// <summary>What each pod connected to, against its rendered NetworkPolicy (Kafka is outside the release here: any address, its port).</summary>
    static void AssertConnectionsFitTheNetworkPolicies(IReadOnlyList<JObject> objects, IReadOnlyList<RunningPod> pods,
        IReadOnlyDictionary<RunningPod, PodConnections> connections, PodConnections helmTest)
    {
        var postgresPods = new JObject { ["app.kubernetes.io/name"] = "postgresql", ["app.kubernetes.io/instance"] = "saga", ["app.kubernetes.io/component"] = "primary" };
        var apiPods = (JObject)objects.OfKind("Deployment").Single(d => d.Role() == "api")["spec"]!["template"]!["metadata"]!["labels"]!;
        var destinations = new Dictionary<string, (JObject?, int)> { [Kafka] = (null, 9092), [Postgres] = (postgresPods, 5432), [Api] = (apiPods, 8080) };
        foreach (var pod in pods)
            Assert.True(connections[pod].Mismatch(objects, destinations) is null, connections[pod].Mismatch(objects, destinations));
        Assert.Equal(["api"], helmTest.Used);
        Assert.True(helmTest.Mismatch(objects, destinations) is null, helmTest.Mismatch(objects, destinations));
        var approval = pods.Single(p => p.Template.Environment.GetValueOrDefault("Roles") == "approval");
        Assert.Equal([Kafka], connections[approval].Used);
        Assert.True(NetworkPolicies.AllowsIngress(NetworkPolicies.For(objects, apiPods), helmTest.PodLabels, 8080));
    }

    /// <summary>
    /// The topics each service wrote and the (topic, group) pairs it read in the two flows, from its /metrics, against
    /// the ACLs its principal gets in the default install with the bundled Kafka.
    /// </summary>
    static async Task AssertKafkaTrafficFitsTheAclsAsync(IReadOnlyList<RunningPod> services)
    {
        var acls = KafkaAcls.Of(await Renders.Default.ObjectsAsync());
        var usernames = (JObject)ChartFiles.Values["kafkaConnection"]!["sasl"]!["usernames"]!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var pod in services)
        {
            var role = pod.Template.Environment["Roles"];
            var principal = (string)usernames[role]!;
            var traffic = await KafkaTraffic.ScrapeAsync(http, new Uri($"http://{pod.Address}:8080/metrics"));
            Assert.NotEmpty(traffic.Consumed);
            Assert.Equal(role != "statistics", traffic.Produced.Count > 0);
            Assert.All(traffic.Produced, t => Assert.Contains(t, acls.Resources(principal, "Write", "topic")));
            Assert.All(traffic.Consumed, c => Assert.Contains(c.Topic, acls.Resources(principal, "Read", "topic")));
            Assert.All(traffic.Consumed, c => Assert.Contains(c.Group, acls.Resources(principal, "Read", "group")));
        }
    }

    /// <summary>
    /// The chart's `helm test` pod: its rendered script and environment, in a namespace of its own, with its API
    /// Service name forwarded from its node address to the api pod's port, as kube-proxy would.
    /// </summary>
    async Task<PodConnections> RunHelmTestPodAsync(IReadOnlyList<JObject> objects, RunningPod api, string run, int subnet, int index, string scratch,
        List<TcpForwarder> forwarders)
    {
        var testPod = objects.OfKind("Pod").Single(p => (string?)p["metadata"]!["annotations"]!["helm.sh/hook"] == "test");
        var container = testPod["spec"]!["containers"]![0]!;
        var apiUrl = new Uri(container["env"]!.Single(e => (string?)e["name"] == "API")["value"]!.ToString());
        var service = objects.Single("Service", apiUrl.Host);
        Assert.Equal(apiUrl.Port, (int)service["spec"]!["ports"]![0]!["port"]!);
        await using var network = await PodNetwork.CreateAsync(run, index, subnet, testPod.Name(), [apiUrl.Host]);
        var used = new PodConnections((JObject)testPod["metadata"]!["labels"]!);
        forwarders.Add(used.Track(Api, TcpForwarder.Start(null, new IPEndPoint(network.NodeAddress, apiUrl.Port), new IPEndPoint(api.Address, 8080))));
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
        return used;
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
