using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Chart.Tests;

/// <summary>Lag-based autoscaling as rendered: every Kafka-consuming service under KEDA and under HPA, within the partition cap.</summary>
public class AutoscalingTests
{
    static JObject Values => ChartFiles.Values;

    [Fact]
    public void Keda_is_the_default_mode() => Assert.Equal("keda", (string?)Values["autoscaling"]!["mode"]);

    [Fact]
    public void Every_consuming_service_is_autoscaled_within_the_partition_count()
    {
        var partitions = (int)Values["kafkaConnection"]!["partitions"]!;
        foreach (var service in ((JObject)Values["services"]!).Properties().Where(p => ((JArray)p.Value["consumers"]!).Count > 0))
        {
            var scaling = service.Value["autoscaling"]!;
            Assert.True((bool)scaling["enabled"]!, $"{service.Name} is not autoscaled");
            Assert.InRange((int)scaling["minReplicas"]!, 1, (int)scaling["maxReplicas"]!);
            // A consumer group gives each partition to one member: replicas past the partition count idle.
            Assert.True((int)scaling["maxReplicas"]! <= partitions, $"{service.Name}: maxReplicas > {partitions} partitions");
        }
    }

    /// <summary>One kafka trigger (KEDA) or External metric (HPA) per group and topic the role's code consumes.</summary>
    [Theory]
    [InlineData("default")]
    [InlineData("hpa")]
    public async Task Each_service_scales_on_the_lag_of_every_group_and_topic_it_consumes(string render)
    {
        var objects = await Renders.Named(render).ObjectsAsync();
        var kind = render == "hpa" ? "HorizontalPodAutoscaler" : "ScaledObject";
        Assert.Empty(objects.OfKind(render == "hpa" ? "ScaledObject" : "HorizontalPodAutoscaler"));
        foreach (var deployment in objects.OfKind("Deployment").Where(d => d.Role() is not null))
        {
            var expected = RoleCatalog.Subscriptions.Where(s => s.Role == deployment.Role())
                .SelectMany(s => s.Topics.Select(t => $"{s.Group}/{t}")).Order().ToList();
            var scaler = objects.Single(kind, deployment.Name());
            Assert.Equal(deployment.Name(), (string?)scaler["spec"]!["scaleTargetRef"]!["name"]);
            Assert.Null(deployment["spec"]!["replicas"]);
            var watched = render == "hpa"
                ? scaler["spec"]!["metrics"]!.Select(m => m["external"]!["metric"]!["selector"]!["matchLabels"]!)
                    .Select(l => $"{l["consumergroup"]}/{l["topic"]}")
                : scaler["spec"]!["triggers"]!.Select(t => $"{t["metadata"]!["consumerGroup"]}/{t["metadata"]!["topic"]}");
            Assert.Equal(expected, watched.Order().ToList());
        }
    }

    [Fact]
    public async Task Approval_scales_on_user_approve_lag_with_target_average_5_like_the_original_demo()
    {
        var hpa = (await Renders.Named("hpa").ObjectsAsync()).Single("HorizontalPodAutoscaler", "saga-saga-demo-approval");
        var metric = Assert.Single(hpa["spec"]!["metrics"]!)["external"]!;
        Assert.Equal("kafka_consumergroup_lag", (string?)metric["metric"]!["name"]);
        Assert.Equal("user-approve", (string?)metric["metric"]!["selector"]!["matchLabels"]!["topic"]);
        Assert.Equal("AverageValue", (string?)metric["target"]!["type"]);
        Assert.Equal("5", (string?)metric["target"]!["averageValue"]);
    }

    [Fact]
    public async Task Keda_reads_lag_as_the_monitor_principal()
    {
        var objects = await Renders.Named("sasl-ssl").ObjectsAsync();
        var auth = Assert.Single(objects.OfKind("TriggerAuthentication"));
        var parameters = auth["spec"]!["secretTargetRef"]!.ToDictionary(r => (string)r["parameter"]!, r => ((string)r["name"]!, (string)r["key"]!));
        Assert.Equal(new Dictionary<string, (string, string)>
        {
            ["username"] = ("saga-saga-demo-keda-kafka", "username"),
            ["password"] = ("saga-saga-demo-credentials", "kafka-sasl-password-monitor"),
            ["ca"] = ("saga-saga-demo-credentials", "kafka-ca.crt"),
        }, parameters);
        Assert.Equal("saga-monitor", objects.Single("Secret", "saga-saga-demo-keda-kafka").Entries()["username"]);
        Assert.All(objects.OfKind("ScaledObject").SelectMany(s => s["spec"]!["triggers"]!),
            t => Assert.Equal(auth.Name(), (string?)t["authenticationRef"]!["name"]));
    }
}
