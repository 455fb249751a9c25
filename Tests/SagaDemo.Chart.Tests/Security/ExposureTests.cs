using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Pods;
using SagaDemo.Chart.Tests.Rendering;

namespace SagaDemo.Chart.Tests.Security;

/// <summary>
/// What the rendered objects expose: the Ingress routes the API only, no service pod holds the helm test key, and no
/// container has a secret on its command line (where `ps`, the pod spec and audit logs would show it).
/// </summary>
public class ExposureTests
{
    [Fact]
    public async Task The_ingress_routes_the_api_paths_only_so_metrics_and_health_stay_inside()
    {
        var ingress = (await Renders.Named("ingress-tls").ObjectsAsync()).OfKind("Ingress").Single();
        var paths = ingress["spec"]!["rules"]![0]!["http"]!["paths"]!;
        Assert.Equal(["/operations", "/operation"], paths.Select(p => (string)p["path"]!));
        Assert.All(paths, p => Assert.Equal("Prefix", (string?)p["pathType"]));
        // Prefix matches whole path elements: neither prefix matches /metrics or /health/ready.
        foreach (var internalPath in new[] { "/metrics", "/health/live", "/health/ready", "/users/1", "/inventory", "/" })
            Assert.DoesNotContain(paths, p => internalPath == (string)p["path"]! || internalPath.StartsWith((string)p["path"]! + "/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("api-keys-inline")]
    [InlineData("api-keys-existing-secret")]
    public async Task Only_the_helm_test_pod_gets_the_test_key(string render)
    {
        var objects = await Renders.Named(render).ObjectsAsync();
        var image = ContainerImage.FromDockerfile();
        foreach (var workload in objects.OfKind("Deployment").Concat(objects.OfKind("Job")))
        {
            var referenced = ReferencedSecretKeys(workload.Container());
            Assert.DoesNotContain(referenced, r => r.Key == "HELM_TEST_API_KEY");
            if (render == "api-keys-inline")
                Assert.DoesNotContain("HELM_TEST_API_KEY", PodTemplate.Of(workload, "p", objects, image).Environment.Keys);
        }
        // envFrom takes every key of the API-keys Secret: the chart's holds none but the keys.
        Assert.All(objects.OfKind("Secret").Where(s => s.Name().EndsWith("-api-keys")), s => Assert.DoesNotContain("HELM_TEST_API_KEY", s.Entries().Keys));
        var testPod = objects.OfKind("Pod").Single();
        var apiKey = testPod["spec"]!["containers"]![0]!["env"]!.Single(e => (string?)e["name"] == "API_KEY")["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal("HELM_TEST_API_KEY", (string?)apiKey["key"]);
        Assert.EndsWith(render == "api-keys-inline" ? "-helm-test" : "saga-helm-test", (string?)apiKey["name"]);
    }

    /// <summary>
    /// Every container of every documented install: no value of any rendered Secret in its command or arguments, and no
    /// $(VAR) there that Kubernetes would fill from a Secret (the way kafka_exporter used to get its SASL password).
    /// </summary>
    [Theory]
    [MemberData(nameof(Renders.Names), MemberType = typeof(Renders))]
    public async Task No_secret_reaches_a_command_line(string render)
    {
        var objects = await Renders.Named(render).ObjectsAsync();
        // Names (usernames, client ids) are no secrets, whatever Secret holds them.
        var secretValues = objects.OfKind("Secret").SelectMany(s => s.Entries())
            .Where(e => e.Key != "username" && !e.Key.EndsWith("__ClientId", StringComparison.Ordinal) && e.Value.Length >= 5).Select(e => e.Value).ToList();
        foreach (var o in objects)
            foreach (var container in (o.SelectToken("spec.template.spec.containers") ?? o.SelectToken("spec.containers") ?? new JArray()).Cast<JObject>())
            {
                var commandLine = (container["command"] ?? new JArray()).Concat(container["args"] ?? new JArray()).Select(t => (string)t!).ToList();
                var fromSecrets = (container["env"] ?? new JArray()).Where(e => e["valueFrom"]?["secretKeyRef"] is not null).Select(e => (string)e["name"]!).ToList();
                foreach (var word in commandLine)
                {
                    Assert.DoesNotContain(secretValues, v => word.Contains(v, StringComparison.Ordinal));
                    Assert.DoesNotContain(fromSecrets, name => word.Contains($"$({name})", StringComparison.Ordinal));
                }
            }
    }

    [Fact]
    public async Task Kafka_exporter_reads_its_password_from_a_file_it_names_with_an_at_sign()
    {
        var objects = await Renders.Default.ObjectsAsync();
        var exporter = objects.OfKind("Deployment").Single(d => d.Name().EndsWith("-kafka-exporter"));
        var args = exporter.Container()["args"]!.Values<string>().ToList();
        // kingpin (kafka_exporter's flag parser) replaces an argument "@<file>" by the file's lines.
        var value = args[args.IndexOf("--sasl.password") + 1]!;
        Assert.StartsWith("@", value);
        Assert.Contains("--sasl.username=saga-monitor", args);
        var mount = exporter.Container()["volumeMounts"]!.Single(m => value[1..].StartsWith((string)m["mountPath"]! + "/", StringComparison.Ordinal));
        var volume = exporter.SelectToken("spec.template.spec.volumes")!.Single(v => (string?)v["name"] == (string?)mount["name"]);
        var item = volume["secret"]!["items"]!.Single(i => value.EndsWith("/" + (string)i["path"]!, StringComparison.Ordinal));
        Assert.Equal("kafka-sasl-password-monitor", (string?)item["key"]);
        Assert.Null(exporter.Container()["env"]);
    }

    static IEnumerable<(string Secret, string Key)> ReferencedSecretKeys(JToken container) =>
        (container["env"] ?? new JArray()).Select(e => e["valueFrom"]?["secretKeyRef"]).Where(r => r is not null)
            .Select(r => ((string)r!["name"]!, (string)r["key"]!));
}
