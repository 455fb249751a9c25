using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Contracts;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Chart.Tests.Security;

/// <summary>
/// Record-signing keys (Kafka:Signing): one per producing service, generated or from the operator's Secret, and each
/// pod holds only its own and those of the services whose topics it reads; whoever holds a key can write as that
/// service, so no pod gets more.
/// </summary>
public class SigningKeyTests
{
    /// <summary>The service that writes each topic (the chart's produces lists, which ServiceCoverageTests ties to the contracts).</summary>
    static readonly IReadOnlyDictionary<string, string> ProducerOf = Support.ChartFiles.Values["services"]!.Children<Newtonsoft.Json.Linq.JProperty>()
        .SelectMany(s => s.Value["produces"]!.Select(t => ((string)t!, s.Name))).ToDictionary(p => p.Item1, p => p.Name);

    static IEnumerable<string> KeysIn(Newtonsoft.Json.Linq.JObject deployment) =>
        deployment.Container()["env"]!.Select(e => (string)e["name"]!).Where(n => n.StartsWith("Kafka__Signing__Keys__", StringComparison.Ordinal))
            .Select(n => n["Kafka__Signing__Keys__".Length..]).Order();

    [Fact]
    public async Task Each_pod_holds_its_own_key_and_those_of_the_services_it_reads_from()
    {
        var objects = await Renders.Default.ObjectsAsync();
        foreach (var deployment in objects.OfKind("Deployment").Where(d => d.Role() is not null))
        {
            var role = deployment.Role()!;
            var reads = RoleCatalog.Subscriptions.Where(s => s.Role == role).SelectMany(s => s.Topics);
            var expected = reads.Select(t => ProducerOf[t]).Concat(ProducerOf.Values.Contains(role) ? [role] : []).Distinct().Order();
            Assert.Equal(expected, KeysIn(deployment));
        }
        // e.g. statistics only checks the orders service's records and signs nothing; approval signs its own and checks users'.
        Assert.Equal(["orders"], KeysIn(objects.OfKind("Deployment").Single(d => d.Role() == "statistics")));
        Assert.Equal(["approval", "users"], KeysIn(objects.OfKind("Deployment").Single(d => d.Role() == "approval")));
    }

    [Fact]
    public async Task The_keys_are_generated_per_producer_or_read_from_the_operators_secret()
    {
        var objects = await Renders.Default.ObjectsAsync();
        var credentials = objects.Single("Secret", "saga-saga-demo-credentials").Entries();
        var keys = credentials.Where(c => c.Key.StartsWith("kafka-signing-key-", StringComparison.Ordinal)).ToDictionary();
        Assert.Equal(ProducerOf.Values.Distinct().Order().Select(p => $"kafka-signing-key-{p}"), keys.Keys.Order());
        Assert.All(keys.Values, k => Assert.True(k.Length >= 32));
        Assert.Equal(keys.Count, keys.Values.Distinct().Count());
        Assert.Equal("Required", objects.OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries()["Kafka__Signing__Mode"]);

        var managed = await Renders.Named("values-managed-kafka").ObjectsAsync();
        var orders = managed.OfKind("Deployment").Single(d => d.Role() == "orders");
        var reference = orders.Container()["env"]!.Single(e => (string?)e["name"] == "Kafka__Signing__Keys__warehouse")["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal(("saga-demo-credentials", "kafka-signing-key-warehouse"), ((string)reference["name"]!, (string)reference["key"]!));
        Assert.DoesNotContain(managed.OfKind("Secret"), s => s.Name().EndsWith("-generated-credentials"));
    }

    [Fact]
    public async Task With_signing_off_no_pod_holds_a_key()
    {
        var objects = await Renders.Default.With("kafkaSigning: { mode: \"Off\" }\n").ObjectsAsync();
        Assert.All(objects.OfKind("Deployment").Where(d => d.Role() is not null), d => Assert.Empty(KeysIn(d)));
        Assert.DoesNotContain(objects.Single("Secret", "saga-saga-demo-credentials").Entries().Keys, k => k.StartsWith("kafka-signing-", StringComparison.Ordinal));
    }
}
