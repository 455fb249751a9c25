using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Contracts;
using SagaDemo.Host.Composition;

namespace SagaDemo.Chart.Tests;

/// <summary>The chart deploys exactly the host's roles, each with the consumer groups and topics the composition wires.</summary>
public class ServiceCoverageTests
{
    static JObject Services => (JObject)ChartFiles.Values["services"]!;

    [Fact]
    public void Every_role_has_a_service_and_nothing_else_does() =>
        Assert.Equal(Roles.All.OrderBy(r => r), Services.Properties().Select(p => p.Name).OrderBy(r => r));

    [Fact]
    public void Each_service_lists_the_consumer_groups_and_topics_its_role_reads()
    {
        foreach (var role in Roles.All)
        {
            var expected = ConsumerGroupTopics.All.Where(s => s.Role == role)
                .ToDictionary(s => s.Group, s => s.Topics.OrderBy(t => t).ToList());
            var actual = ((JArray)Services[role]!["consumers"]!)
                .ToDictionary(c => (string)c["group"]!, c => c["topics"]!.Values<string>().Select(t => t!).OrderBy(t => t).ToList());
            Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
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
        Assert.Equal(Topics.All.Select(t => t.Name).OrderBy(t => t), topics.Select(t => (string)t["name"]!).OrderBy(t => t));
        Assert.All(topics, t => Assert.Equal(partitions, (int)t["partitions"]!));
    }

    [Fact]
    public void The_deployment_template_runs_one_deployment_per_service_with_its_role()
    {
        var template = ChartFiles.Template("deployments.yaml");
        Assert.Contains("range $name, $svc := .Values.services", template);
        Assert.Contains("kind: Deployment", template);
        Assert.Matches(@"- name: Roles\s+value: \{\{ \$name \| quote \}\}", template);
        Assert.Matches(@"livenessProbe:\s+httpGet:\s+path: /health/live\s+port: http", template);
        Assert.Matches(@"readinessProbe:\s+httpGet:\s+path: /health/ready\s+port: http", template);
        Assert.Matches(@"name: http\s+containerPort: 8080", template);
        Assert.Contains("resources:", template);
        Assert.Contains("prometheus.io/scrape", template);
        Assert.Matches(@"name: tmp\s+mountPath: /tmp", template);
        Assert.Contains("emptyDir:", template);
    }

    [Fact]
    public void Pods_run_locked_down_as_the_images_non_root_user()
    {
        var values = ChartFiles.Values;
        var pod = values["podSecurityContext"]!;
        var container = values["containerSecurityContext"]!;
        Assert.True((bool)pod["runAsNonRoot"]!);
        Assert.Equal(DockerfileFacts.RuntimeUser, (int)pod["runAsUser"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["seccompProfile"]!["type"]);
        Assert.True((bool)container["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.Values<string>());
    }

    [Fact]
    public void Each_service_gets_a_service_and_a_disruption_budget()
    {
        Assert.Contains("range $name, $svc := .Values.services", ChartFiles.Template("services.yaml"));
        Assert.Contains("range $name, $svc := .Values.services", ChartFiles.Template("pdb.yaml"));
        Assert.All(Services.Properties(), p => Assert.True((bool)p.Value["pdb"]!["enabled"]!, p.Name));
    }
}
