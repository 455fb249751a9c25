using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Chart.Tests.Security;

/// <summary>
/// A NetworkPolicy for every workload the chart runs, allowing exactly the connections that workload makes: DNS,
/// Kafka, PostgreSQL for services with state and the migration Job, the API for the helm test pod; and accepting
/// port 8080 from the scrapers, the API's also from the helm test pod and the ingress controller. (The pod test checks
/// them against the connections the pods really make; what enforces them is the cluster's CNI.)
/// </summary>
public class NetworkPolicyTests
{
    static readonly JObject Kafka = new() { ["app.kubernetes.io/name"] = "kafka", ["app.kubernetes.io/instance"] = "saga" };
    static readonly JObject Postgres = new() { ["app.kubernetes.io/name"] = "postgresql", ["app.kubernetes.io/instance"] = "saga", ["app.kubernetes.io/component"] = "primary" };
    static readonly JObject Dns = new() { ["k8s-app"] = "kube-dns" };

    static JObject PodLabels(JObject workload) => (JObject)(workload.SelectToken("spec.template.metadata.labels") ?? workload["metadata"]!["labels"]!);

    static JObject Component(string name) => new()
    {
        ["app.kubernetes.io/name"] = "saga-demo", ["app.kubernetes.io/instance"] = "saga", ["app.kubernetes.io/component"] = name,
    };

    [Fact]
    public async Task Every_workload_has_exactly_one_policy_and_every_policy_a_workload()
    {
        var objects = await Renders.Default.ObjectsAsync();
        var workloads = objects.OfKind("Deployment").Concat(objects.OfKind("Job")).Concat(objects.OfKind("Pod")).ToList();
        Assert.Equal(7 + 1 + 2 + 1, workloads.Count);
        var policies = workloads.Select(w => NetworkPolicies.For(objects, PodLabels(w))).ToList();
        Assert.Equal(policies.Count, policies.Distinct().Count());
        Assert.Equal(objects.OfKind("NetworkPolicy").Count(), policies.Count);
        Assert.All(policies, p => Assert.Equal(["Ingress", "Egress"], p["spec"]!["policyTypes"]!.Values<string>()));
    }

    [Fact]
    public async Task Services_reach_dns_kafka_and_postgresql_only_if_they_keep_state()
    {
        var objects = await Renders.Default.ObjectsAsync();
        foreach (var role in Roles.All)
        {
            var policy = NetworkPolicies.For(objects, Component(role));
            var stateful = RoleCatalog.SchemaByRole.ContainsKey(role);
            Assert.True(NetworkPolicies.AllowsEgress(policy, Kafka, 9092), role);
            Assert.Equal(stateful, NetworkPolicies.AllowsEgress(policy, Postgres, 5432));
            Assert.False(NetworkPolicies.AllowsEgress(policy, Kafka, 5432), role);
            Assert.False(NetworkPolicies.AllowsEgress(policy, null, 443), role);
            Assert.False(NetworkPolicies.AllowsEgress(policy, Component("api"), 8080), role);
            // TCP ports: DNS, Kafka, and PostgreSQL for stateful ones.
            Assert.Equal(stateful ? 3 : 2, NetworkPolicies.EgressPorts(policy).Count());
        }
        var migrate = NetworkPolicies.For(objects, Component("migrate"));
        Assert.True(NetworkPolicies.AllowsEgress(migrate, Postgres, 5432));
        Assert.False(NetworkPolicies.AllowsEgress(migrate, Kafka, 9092));
        var setup = NetworkPolicies.For(objects, Component("kafka-setup"));
        Assert.True(NetworkPolicies.AllowsEgress(setup, Kafka, 9092));
        Assert.False(NetworkPolicies.AllowsEgress(setup, Postgres, 5432));
        var test = NetworkPolicies.For(objects, Component("helm-test"));
        Assert.True(NetworkPolicies.AllowsEgress(test, Component("api"), 8080));
        Assert.False(NetworkPolicies.AllowsEgress(test, Component("users"), 8080));
        Assert.False(NetworkPolicies.AllowsEgress(test, Kafka, 9092));
        // DNS: kube-dns in kube-system (a namespaceSelector peer), UDP and TCP 53, for every workload.
        Assert.All(objects.OfKind("NetworkPolicy"), p => Assert.Contains(p["spec"]!["egress"]!,
            r => r["to"]!.Any(peer => (string?)peer["podSelector"]?["matchLabels"]?["k8s-app"] == "kube-dns") && r["ports"]!.Count(port => (int)port["port"]! == 53) == 2));
    }

    [Fact]
    public async Task Only_the_api_accepts_the_helm_test_pod_and_every_service_its_scrapers()
    {
        var objects = await Renders.Named("ingress-tls").ObjectsAsync();
        foreach (var role in Roles.All)
        {
            var policy = NetworkPolicies.For(objects, Component(role));
            Assert.Equal(role == "api", NetworkPolicies.AllowsIngress(policy, Component("helm-test"), 8080));
            Assert.False(NetworkPolicies.AllowsIngress(policy, Component("users"), 8080), role);
            var from = policy["spec"]!["ingress"]!.SelectMany(r => r["from"]!).Select(p => (string?)p["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"]).ToList();
            Assert.Contains("monitoring", from);
            Assert.Equal(role == "api", from.Contains("ingress-nginx"));
        }
        Assert.Null(NetworkPolicies.For(objects, Component("migrate"))["spec"]!["ingress"]);
    }

    /// <summary>
    /// The bundled Kafka's and PostgreSQL's own NetworkPolicies (Bitnami's, set in values.yaml) admit pods of this
    /// release by a label: exactly the pods whose own policy lets them reach that server carry it.
    /// </summary>
    [Fact]
    public async Task The_bundled_servers_admit_exactly_the_pods_that_use_them()
    {
        var values = Support.ChartFiles.Values;
        var kafkaPeers = (JObject)values["kafka"]!["networkPolicy"]!["ingressPodMatchLabels"]!;
        Assert.False((bool)values["kafka"]!["networkPolicy"]!["allowExternal"]!);
        Assert.Equal("true", (string?)kafkaPeers["saga-demo/kafka-client"]);
        var postgresPolicy = values["postgresql"]!["primary"]!["networkPolicy"]!;
        Assert.False((bool)postgresPolicy["allowExternal"]!);
        var postgresPeers = (JObject)postgresPolicy["extraIngress"]![0]!["from"]![0]!["podSelector"]!["matchLabels"]!;
        Assert.Equal("true", (string?)postgresPeers["saga-demo/database-client"]);
        Assert.Equal(5432, (int)postgresPolicy["extraIngress"]![0]!["ports"]![0]!["port"]!);
        foreach (var peers in new[] { kafkaPeers, postgresPeers })
            Assert.Equal("{{ .Release.Name }}", (string?)peers["app.kubernetes.io/instance"]);

        var objects = await Renders.Default.ObjectsAsync();
        foreach (var workload in objects.OfKind("Deployment").Concat(objects.OfKind("Job")).Concat(objects.OfKind("Pod")))
        {
            var labels = PodLabels(workload);
            var policy = NetworkPolicies.For(objects, labels);
            Assert.Equal(NetworkPolicies.AllowsEgress(policy, Kafka, 9092), (string?)labels["saga-demo/kafka-client"] == "true");
            Assert.Equal(NetworkPolicies.AllowsEgress(policy, Postgres, 5432), (string?)labels["saga-demo/database-client"] == "true");
        }
    }

    [Fact]
    public async Task An_external_kafka_and_postgresql_are_reached_on_their_ports_at_the_given_addresses_only()
    {
        var objects = await Renders.Named("values-managed-kafka").ObjectsAsync();
        var policy = NetworkPolicies.For(objects, Component("orders"));
        var ports = NetworkPolicies.EgressPorts(policy).Where(p => p.Port != 53).ToList();
        Assert.Equal([9096, 5432], ports.Select(p => p.Port));
        Assert.Equal(["10.20.0.0/16", "10.30.0.0/24"], ports.Select(p => (string?)p.Peers![0]!["ipBlock"]!["cidr"]));
        // Without peers: any address, but only the bootstrap servers' ports.
        var open = NetworkPolicies.For(await Renders.ExternalPlaintextKafka.ObjectsAsync(), Component("api"));
        Assert.True(NetworkPolicies.AllowsEgress(open, null, 9092));
        Assert.False(NetworkPolicies.AllowsEgress(open, null, 9093));
    }
}
