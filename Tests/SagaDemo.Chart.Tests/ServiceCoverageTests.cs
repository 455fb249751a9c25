using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Contracts;
using SagaDemo.Host.Composition;

namespace SagaDemo.Chart.Tests;

/// <summary>The chart deploys exactly the host's roles, each with the consumer groups and topics the composition wires.</summary>
public class ServiceCoverageTests
{
    static JObject Services => (JObject)ChartFiles.Values["services"]!;

    [Fact]
    public void Each_service_lists_the_consumer_groups_and_topics_its_role_reads()
    {
        Assert.Equal(Roles.All.Order(), Services.Properties().Select(p => p.Name).Order());
        foreach (var role in Roles.All)
        {
            var expected = ConsumerGroupTopics.All.Where(s => s.Role == role)
                .ToDictionary(s => s.Group, s => s.Topics.Order().ToList());
            var actual = ((JArray)Services[role]!["consumers"]!)
                .ToDictionary(c => (string)c["group"]!, c => c["topics"]!.Values<string>().Select(t => t!).Order().ToList());
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (group, topics) in expected)
                Assert.Equal(topics, actual[group]);
        }
    }

    [Fact]
    public void The_bundled_kafka_provisions_every_topic_with_the_configured_partitions()
    {
        var values = ChartFiles.Values;
        var partitions = (int)values["kafkaConnection"]!["partitions"]!;
        var topics = (JArray)values["kafka"]!["provisioning"]!["topics"]!;
        Assert.Equal(Topics.All.Select(t => t.Name).Order(), topics.Select(t => (string)t["name"]!).Order());
        Assert.All(topics, t => Assert.Equal(partitions, (int)t["partitions"]!));
    }

    [Fact]
    public async Task Every_role_runs_in_its_own_deployment_with_a_service_and_a_disruption_budget()
    {
        var objects = await Renders.Default.ObjectsAsync();
        var deployments = objects.OfKind("Deployment").Where(d => d.Role() is not null).ToList();
        Assert.Equal(Roles.All.Order(), deployments.Select(d => d.Role()!).Order());
        foreach (var deployment in deployments)
        {
            var selector = (JObject)deployment["spec"]!["selector"]!["matchLabels"]!;
            Assert.Equal(selector, deployment["spec"]!["template"]!["metadata"]!["labels"]!, JToken.EqualityComparer);
            Assert.Equal(selector, objects.Single("Service", deployment.Name())["spec"]!["selector"]!, JToken.EqualityComparer);
            Assert.Equal(selector, objects.Single("PodDisruptionBudget", deployment.Name())["spec"]!["selector"]!["matchLabels"]!, JToken.EqualityComparer);
        }
    }

    [Fact]
    public async Task Pods_run_locked_down_as_the_images_non_root_user()
    {
        var objects = await Renders.Default.ObjectsAsync();
        foreach (var workload in objects.OfKind("Deployment").Concat(objects.OfKind("Job")))
        {
            var pod = workload["spec"]!["template"]!["spec"]!["securityContext"]!;
            var container = workload.Container()["securityContext"]!;
            Assert.True((bool)pod["runAsNonRoot"]!);
            Assert.Equal(DockerfileFacts.RuntimeUser, (int)pod["runAsUser"]!);
            Assert.Equal("RuntimeDefault", (string?)pod["seccompProfile"]!["type"]);
            Assert.True((bool)container["readOnlyRootFilesystem"]!);
            Assert.False((bool)container["allowPrivilegeEscalation"]!);
            Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.Values<string>());
        }
    }
}
